export type Utfall = 'godkand' | 'komplettering';
/** A member's answer: a vote, or a declared conflict of interest (jäv), which counts as no vote. */
export type Svar = Utfall | 'jav';
/** `ersatt`: a new version of the report was registered, and the granskning was ended in its favour. */
export type Slututfall = Utfall | 'inget-beslut' | 'ersatt';
export type Steg = 'notifiera' | 'paminn' | 'eskalera';

export interface Granskare {
  id: string;
  namn: string;
  epost: string;
  organisation: string;
  /** Mailed instead of the member while the member is marked absent. */
  ersattare?: { namn: string; epost: string } | undefined;
  franvarande?: boolean | undefined;
}

export type BeslutPolicy = { typ: 'forsta' } | { typ: 'kvorum'; antal: number };

export interface Granskning {
  id: string;
  handling: string;
  arende: string;
  status: 'pagar' | 'avgjord';
  startad: string;
  steg: Steg;
  utfall: Slututfall | null;
  avgjord: string | null;
  granskare: { id: string; namn: string; epost: string; organisation: string }[];
  /** Bumped by every recorded answer: an answer is written only against the version its rule was evaluated on. */
  version?: number | undefined;
  /** Side effects already done (mails, statuses): a retried or replayed Lambda skips them, so no mail goes twice. */
  utfort?: string[] | undefined;
}

export interface Beslut {
  granskningId: string;
  granskareId: string;
  namn: string;
  organisation: string;
  utfall: Svar;
  /** The comment; with jäv, the required reason. */
  kommentar: string | null;
  tidpunkt: string;
}

export interface Lank {
  hash: string;
  granskningId: string;
  granskareId: string;
  namn: string;
  organisation: string;
  giltigTill: string;
  /** Per-link CSRF value rendered into the form and required on POST. */
  csrf: string;
  anvand: string | null;
}

/** The task output the workflow receives when the granskning is decided. */
export interface GranskningsResultat {
  utfall: Slututfall;
  beslut: Beslut[];
}

/** Input of every granskning execution; also its execution name source. */
export interface GranskningInput {
  diarienummer: string;
  arende: string;
  granskningId: string;
}
