/** How the kansli follows up what is due: days counted in Europe/Stockholm calendar dates. */
export interface BevakningConfig {
  /** Days after the end of the insatstid the slutrapport is due (the stage config's bevakning.rapportDagar). */
  rapportDagar: number;
  /** The insatsägare is reminded this many days before the due date. */
  paminnelseForeDagar: number;
  /** …and again this many days after it, if no report has arrived. */
  paminnelseEfterDagar: number;
  /** A komplettering request unanswered this many days is reminded and listed for the kansli. */
  kompletteringDagar: number;
}

export const DEFAULT_BEVAKNING: BevakningConfig = {
  rapportDagar: 60,
  paminnelseForeDagar: 14,
  paminnelseEfterDagar: 7,
  kompletteringDagar: 21,
};

export type BevakningStatus = 'kommande' | 'snart' | 'forsenad' | 'stangd' | 'saknar-datum';

/** One insats's follow-up, as a run saw it. */
export interface RapportBevakning {
  insatsId: string;
  insatsnamn: string;
  organisation: string;
  arende: string | null;
  /** ÅÅÅÅ-MM-DD, or null when the register has neither an end of insatstid nor an override. */
  forfallodatum: string | null;
  /** True when the kansli set the date for this insats. */
  andrat: boolean;
  kontakt: string | null;
  status: BevakningStatus;
  /** The report that closed the bevakning. */
  stangdAv: string | null;
  /** Steps whose mail this run sent. */
  skickat: string[];
}

export type KompletteringStatus = 'vantar' | 'obesvarad';

/** A komplettering request (the kvittens of an incomplete report, or a beslut asking for one) not yet answered. */
export interface KompletteringBevakning {
  arende: string;
  /** The handling that carries the request: the incomplete report, or the beslut. */
  handling: string;
  begard: string;
  dagar: number;
  kontakt: string | null;
  status: KompletteringStatus;
  skickat: string[];
}

export interface BevakningResultat {
  datum: string;
  rapporter: RapportBevakning[];
  kompletteringar: KompletteringBevakning[];
  /** True when this run sent the kansli's list of the day. */
  kansliListaSkickad: boolean;
}

/** The step names claimed per bevakning; each mail is sent at most once per step. */
export const STEG = {
  fore: 'paminnelse-fore',
  efter: 'paminnelse-efter',
  stangd: 'stangd',
  komplettering: 'komplettering-paminnelse',
  kansliLista: (datum: string) => `kansli-lista#${datum}`,
} as const;

/** Audit log events of the bevakning. */
export const BEVAKNING_HANDELSE = {
  paminnelse: 'bevakning-paminnelse',
  stangd: 'bevakning-stangd',
  datumAndrat: 'bevakning-datum-andrat',
  kompletteringPaminnelse: 'komplettering-paminnelse',
} as const;
