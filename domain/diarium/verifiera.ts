import { HANDELSE, verifyChain } from './audit.js';
import type { AuditEntry, Handling } from './types.js';

export interface Avvikelse {
  /** The log entry concerned, when the finding is about one. */
  seq: number | null;
  handling: string | null;
  meddelande: string;
}

export interface Verifiering {
  arende: string;
  ok: boolean;
  antalPoster: number;
  antalHandlingar: number;
  avvikelser: Avvikelse[];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function filerIn(data: Record<string, unknown>): string[] {
  const f = data['filer'];
  if (!Array.isArray(f)) return [];
  return f.map((x: unknown) =>
    x !== null && typeof x === 'object' && 'sha256' in x ? String(x.sha256) : '',
  );
}

/**
 * Checks an ärende's audit log and its handlingar against each other:
 * 1. the hash chain (an edited or removed entry breaks it);
 * 2. the head stored on the ärende (a removed last entry leaves the chain intact but the head points past it);
 * 3. every handling against what the log says about it (time of arrival, ankomstdatum, files, makulering),
 *    so that editing a registration directly in the table, or deleting it, is found.
 */
export function verifieraLogg(
  arende: string,
  logg: AuditEntry[],
  handlingar: Handling[],
  huvud: { seq: number; hash: string } | null,
): Verifiering {
  const avvikelser: Avvikelse[] = [];
  const sorted = [...logg].sort((a, b) => a.seq - b.seq);
  const chain = verifyChain(sorted);
  if (!chain.ok) {
    avvikelser.push({
      seq: chain.seq,
      handling: null,
      meddelande: `Loggpost ${chain.seq} stämmer inte med hashkedjan (ändrad, borttagen eller infogad post).`,
    });
  }
  const last = sorted.at(-1) ?? null;
  if (huvud && (huvud.seq !== (last?.seq ?? 0) || (last && huvud.hash !== last.hash))) {
    avvikelser.push({
      seq: huvud.seq,
      handling: null,
      meddelande: `Ärendets logghuvud pekar på post ${huvud.seq}, men loggen slutar vid post ${last?.seq ?? 0}.`,
    });
  }

  // What the log says each handling should look like, event by event.
  const expected = new Map<
    string,
    {
      seq: number;
      mottagen: string | null;
      ankomstdatum: string | null;
      filer: string[];
      makulerad: boolean;
      /** Where the log says the handling was moved (its number is then a stub without files). */
      flyttadTill: string | null;
    }
  >();
  for (const e of sorted) {
    const dnr = str(e.data['handling']);
    if (!dnr) continue;
    // A handling moved here is registered here under its new number by the move's entry.
    if (e.handelse === HANDELSE.handlingRegistrerad || e.handelse === HANDELSE.handlingInflyttad) {
      expected.set(dnr, {
        seq: e.seq,
        mottagen: str(e.data['mottagen']),
        ankomstdatum: str(e.data['ankomstdatum']),
        filer: filerIn(e.data),
        makulerad: false,
        flyttadTill: null,
      });
    } else if (e.handelse === HANDELSE.handlingFlyttad) {
      const x = expected.get(dnr);
      if (x) {
        x.filer = [];
        x.flyttadTill = str(e.data['till']);
      }
    } else if (e.handelse === HANDELSE.ankomstAndrad) {
      const x = expected.get(dnr);
      if (x) {
        x.mottagen = str(e.data['till']);
        x.ankomstdatum = str(e.data['tillAnkomstdatum']);
      }
    } else if (e.handelse === HANDELSE.handlingMakulerad) {
      const x = expected.get(dnr);
      if (x) x.makulerad = true;
    }
  }
  const byDnr = new Map(handlingar.map((h) => [h.diarienummer, h]));
  for (const [dnr, x] of expected) {
    const h = byDnr.get(dnr);
    if (!h) {
      avvikelser.push({
        seq: x.seq,
        handling: dnr,
        meddelande: `Handlingen ${dnr} finns i loggen men saknas i diariet.`,
      });
      continue;
    }
    if (x.mottagen !== h.mottagen || x.ankomstdatum !== h.ankomstdatum) {
      avvikelser.push({
        seq: x.seq,
        handling: dnr,
        meddelande: `Handlingen ${dnr} har ankomst ${h.ankomstdatum} (${h.mottagen}) men loggen säger ${x.ankomstdatum ?? '–'} (${x.mottagen ?? '–'}).`,
      });
    }
    const filer = h.filer.map((f) => f.sha256);
    if (filer.join(',') !== x.filer.join(',')) {
      avvikelser.push({
        seq: x.seq,
        handling: dnr,
        meddelande: `Filerna i ${dnr} stämmer inte med kontrollsummorna i loggen.`,
      });
    }
    if (x.flyttadTill !== (h.flyttad?.till ?? null)) {
      avvikelser.push({
        seq: x.seq,
        handling: dnr,
        meddelande: x.flyttadTill
          ? `Handlingen ${dnr} är flyttad till ${x.flyttadTill} enligt loggen men inte i diariet.`
          : `Handlingen ${dnr} är markerad som flyttad utan att flytten finns i loggen.`,
      });
    }
    if (x.makulerad !== (h.makulerad !== null)) {
      avvikelser.push({
        seq: x.seq,
        handling: dnr,
        meddelande: x.makulerad
          ? `Handlingen ${dnr} är makulerad enligt loggen men inte i diariet.`
          : `Handlingen ${dnr} är makulerad utan att makuleringen finns i loggen.`,
      });
    }
  }
  for (const h of handlingar) {
    if (!expected.has(h.diarienummer)) {
      avvikelser.push({
        seq: null,
        handling: h.diarienummer,
        meddelande: `Handlingen ${h.diarienummer} saknar registrering i loggen.`,
      });
    }
  }
  return {
    arende,
    ok: avvikelser.length === 0,
    antalPoster: sorted.length,
    antalHandlingar: handlingar.length,
    avvikelser,
  };
}
