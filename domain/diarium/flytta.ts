import { HANDELSE } from './audit.js';
import { formatArende, parseHandlingNummer } from './diarienummer.js';
import { DiariumRegelError, HandlingNotFoundError } from './errors.js';
import type { DiariumReader, FlyttLage, FlyttPlan, HandlingFlytt } from './ports.js';
import type { Handling } from './types.js';

/** Flags on the list index (projected there already) that show a move in the list and the export. */
export const FLYTTAD_TILL = 'flyttad-till:';
export const FLYTTAD_FRAN = 'flyttad-fran:';

export interface FlyttaDeps {
  repo: DiariumReader & HandlingFlytt;
}

export interface FlyttResultat {
  stubb: Handling;
  flyttad: Handling;
  /** True when the handling was already moved to this ärende (a retried request): nothing was written. */
  redanFlyttad: boolean;
}

function required(value: string, what: string): string {
  const v = value.trim();
  if (!v) throw new DiariumRegelError(`${what} måste anges.`);
  return v;
}

/** The ärende a number names: `SFG 26-7` as given, `SFG 26-7.3` as its ärende. */
export function arendeAv(nummer: string): string {
  const h = parseHandlingNummer(nummer);
  if (h) return formatArende(h);
  const m = /^\s*([A-ZÅÄÖ]{2,6})\s*(\d{2})\s*[-–—]\s*(\d{1,5})\s*$/u.exec(nummer);
  if (!m) throw new DiariumRegelError(`"${nummer}" är inget ärendenummer (t.ex. SFG 26-7).`);
  return formatArende({ serie: m[1]!, ar: 2000 + Number(m[2]), nummer: Number(m[3]) });
}

/**
 * The move's rules and what it writes. The handling gets the next free number in the target ärende; the old
 * number stays in the source ärende as a stub that points to the new one (never reused, never deleted).
 */
export function flyttplan(input: { av: string; skal: string }) {
  return (l: FlyttLage): FlyttPlan => {
    const h = l.handling;
    const dnr = h.diarienummer;
    if (h.flyttad) throw new DiariumRegelError(`Handlingen ${dnr} är redan flyttad till ${h.flyttad.till}.`);
    if (h.makulerad) throw new DiariumRegelError(`Handlingen ${dnr} är makulerad och kan inte flyttas.`);
    if (h.granskning === 'pagar')
      throw new DiariumRegelError(
        `Handlingen ${dnr} är under granskning och kan inte flyttas förrän granskningen är avgjord.`,
      );
    if (h.bedomning === 'lases')
      throw new DiariumRegelError(
        `Handlingen ${dnr} läses fortfarande in. Flytta den när inläsningen är klar.`,
      );
    if (l.fran.diarienummer === l.till.diarienummer)
      throw new DiariumRegelError(`Handlingen ${dnr} ligger redan i ärendet ${l.till.diarienummer}.`);
    if (l.fran.status === 'avslutat')
      throw new DiariumRegelError(
        `Ärendet ${l.fran.diarienummer} är avslutat. Återöppna det innan en handling flyttas därifrån.`,
      );
    if (l.till.status === 'avslutat')
      throw new DiariumRegelError(
        `Ärendet ${l.till.diarienummer} är avslutat. Återöppna det innan en handling flyttas dit.`,
      );
    const flytt = {
      till: l.nyttNummer,
      fran: dnr,
      av: input.av,
      skal: input.skal,
      tidpunkt: l.tidpunkt,
    };
    const ursprung = h.flyttadFran?.ursprung ?? dnr;
    const flyttad: Handling = {
      ...h,
      diarienummer: l.nyttNummer,
      arende: l.till.diarienummer,
      handlingsnummer: l.handlingsnummer,
      registrerad: l.tidpunkt,
      flyttadFran: { ...flytt, ursprung },
      flaggor: [...h.flaggor.filter((f) => !f.startsWith(FLYTTAD_FRAN)), `${FLYTTAD_FRAN}${dnr}`],
    };
    return {
      // The content (files, the report) lives on under the new number only; the stub keeps the registration.
      stubb: {
        flyttad: flytt,
        filer: [],
        rapport: { typ: 'ovrig' },
        fel: [],
        varningar: [],
        personnummer: [],
        flaggor: [...h.flaggor, `${FLYTTAD_TILL}${l.nyttNummer}`],
      },
      flyttad,
      franLogg: {
        handelse: HANDELSE.handlingFlyttad,
        av: input.av,
        data: { handling: dnr, till: l.nyttNummer, skal: input.skal },
      },
      tillLogg: {
        handelse: HANDELSE.handlingInflyttad,
        av: input.av,
        data: {
          handling: l.nyttNummer,
          fran: dnr,
          ursprung,
          mottagen: h.mottagen,
          ankomstdatum: h.ankomstdatum,
          kalla: h.kalla,
          filer: h.filer.map((f) => ({ filnamn: f.filnamn, sha256: f.sha256 })),
          skal: input.skal,
        },
      },
    };
  };
}

/**
 * Moves a handling to another ärende (registrator). One transaction writes the stub, the moved handling and an
 * entry in both ärendens logs, so a crash leaves it either unmoved or moved, never lost or doubled. A retried
 * move to the same ärende returns the first move.
 */
export async function flyttaHandling(
  deps: FlyttaDeps,
  diarienummer: string,
  input: { till: string; skal: string; av: string },
): Promise<FlyttResultat> {
  const skal = required(input.skal, 'Skäl för flytten');
  const av = required(input.av, 'Vem som flyttar');
  const tillArende = arendeAv(required(input.till, 'Ärendet handlingen ska flyttas till'));
  const dnr = diarienummer.trim();
  const redan = async (): Promise<FlyttResultat | null> => {
    const h = await deps.repo.getHandling(dnr);
    if (!h) throw new HandlingNotFoundError(`Handlingen ${dnr} finns inte i diariet.`);
    if (!h.flyttad || arendeAv(h.flyttad.till) !== tillArende) return null;
    const flyttad = await deps.repo.getHandling(h.flyttad.till);
    return flyttad ? { stubb: h, flyttad, redanFlyttad: true } : null;
  };
  const forst = await redan();
  if (forst) return forst;
  try {
    const r = await deps.repo.flyttaHandling(dnr, tillArende, flyttplan({ av, skal }));
    return { ...r, redanFlyttad: false };
  } catch (err) {
    // A concurrent request with the same move won: that is this request's result too.
    if (err instanceof DiariumRegelError) {
      const r = await redan();
      if (r) return r;
    }
    throw err;
  }
}
