import { HANDELSE } from './audit.js';
import { DiariumRegelError, HandlingNotFoundError } from './errors.js';
import type { ArendeLog, DiariumReader } from './ports.js';
import type { AuditEntry } from './types.js';

/** A note on an ärende. It is the ärende's log entry itself, so it is never edited or removed. */
export interface Anteckning {
  seq: number;
  text: string;
  av: string;
  tidpunkt: string;
}

export const ANTECKNING_MAX = 4000;

/**
 * Adds a note (handläggare, registrator). A correction is a new note; the text is kept in the hash-chained
 * log, which is what makes a note unchangeable. Who may read notes is the caller's concern (docs/kansli-flytta.md).
 */
export async function laggTillAnteckning(
  deps: { repo: DiariumReader & ArendeLog },
  arende: string,
  input: { text: string; av: string },
): Promise<Anteckning> {
  const text = input.text.replace(/\r\n?/g, '\n').trim();
  const av = input.av.trim();
  if (!text) throw new DiariumRegelError('Anteckningen måste ha en text.');
  if (text.length > ANTECKNING_MAX)
    throw new DiariumRegelError(`Anteckningen får vara högst ${ANTECKNING_MAX} tecken.`);
  if (!av) throw new DiariumRegelError('Vem som antecknar måste anges.');
  const a = await deps.repo.getArende(arende.trim());
  if (!a) throw new HandlingNotFoundError(`Ärendet ${arende.trim()} finns inte i diariet.`);
  const e = await deps.repo.appendLog(a.diarienummer, { handelse: HANDELSE.anteckning, av, data: { text } });
  return { seq: e.seq, text, av, tidpunkt: e.tidpunkt };
}

/** The ärende's notes, oldest first, from its log. */
export function anteckningarI(logg: readonly AuditEntry[]): Anteckning[] {
  return logg
    .filter((e) => e.handelse === HANDELSE.anteckning && typeof e.data['text'] === 'string')
    .sort((a, b) => a.seq - b.seq)
    .map((e) => ({ seq: e.seq, text: String(e.data['text']), av: e.av, tidpunkt: e.tidpunkt }));
}
