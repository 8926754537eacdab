import { createHash } from 'node:crypto';
import type { AuditEntry, Handling } from './types.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Stable JSON: keys sorted, so the hash does not depend on property order after a round trip. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonical(entry)).digest('hex');
}

/** The next entry of an ärende's append-only log; each entry carries the hash of the one before. */
export function nextEntry(
  prev: { seq: number; hash: string } | null,
  event: { handelse: string; av: string; data: Record<string, unknown> },
  tidpunkt: string,
): AuditEntry {
  const base = {
    seq: (prev?.seq ?? 0) + 1,
    tidpunkt,
    handelse: event.handelse,
    av: event.av,
    data: event.data,
    prevHash: prev?.hash ?? GENESIS_HASH,
  };
  return { ...base, hash: hashEntry(base) };
}

/** Verifies the chain; returns the seq of the first entry that does not verify, or null. */
export function verifyChain(entries: AuditEntry[]): { ok: true } | { ok: false; seq: number } {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
    const { hash, ...rest } = e;
    if (e.seq !== expectedSeq || e.prevHash !== prevHash || hashEntry(rest) !== hash) {
      return { ok: false, seq: e.seq };
    }
    prevHash = hash;
    expectedSeq++;
  }
  return { ok: true };
}

/** Event names written to an ärende's log by the diarium itself. */
export const HANDELSE = {
  arendeUpprattat: 'arende-upprattat',
  arendeImporterat: 'arende-importerat',
  handlingRegistrerad: 'handling-registrerad',
  handlingMakulerad: 'handling-makulerad',
  ankomstAndrad: 'ankomst-andrad',
  // The stored name keeps its first spelling: entries already in the hash-chained logs carry it.
  handlingFrigiven: 'handling-slappt',
  kvittensSkickad: 'kvittens-skickad',
  /** A handling registered before its documents were read (a slow scan) has been read. */
  handlingLast: 'handling-last',
  /** The kansli asked for a paper report registered by hand to be read (domain/ingest/las-in.ts). */
  inlasningBegard: 'inlasning-begard',
  klassAndrad: 'klass-andrad',
  handlingNoterad: 'handling-noterad',
  sekretessMarkerad: 'sekretess-markerad',
  sekretessHavd: 'sekretess-havd',
  arendeAvslutat: 'arende-avslutat',
  arendeAteroppnat: 'arende-ateroppnat',
  /** In the source ärende: the number stays as a stub pointing to `till`. */
  handlingFlyttad: 'handling-flyttad',
  /** In the target ärende: the moved handling's registration under its new number. */
  handlingInflyttad: 'handling-inflyttad',
  /** A handläggare's or registrator's note on the ärende; the entry is the note (never edited or removed). */
  anteckning: 'anteckning',
} as const;

/** The log entry of a registration: what the registration must keep showing (time, date, files) is in it. */
export function registreringshandelse(
  h: Handling,
  av = 'system',
): {
  handelse: string;
  av: string;
  data: Record<string, unknown>;
} {
  return {
    handelse: HANDELSE.handlingRegistrerad,
    av,
    data: {
      handling: h.diarienummer,
      mottagen: h.mottagen,
      ankomstdatum: h.ankomstdatum,
      kalla: h.kalla,
      bedomning: h.bedomning,
      filer: h.filer.map((f) => ({ filnamn: f.filnamn, sha256: f.sha256 })),
    },
  };
}
