import { findDiarienummer, formatArende } from '../diarium/diarienummer.js';

/**
 * The ärende's diarienummer in a stable form at the end of every subject we send, e.g. `[Dnr SFG 26-12]`.
 * A reply keeps the subject ("SV: …", "Re: …"), so the ingest files it in that ärende whatever else the
 * subject or the quoted text mentions.
 */
export function amnesmarkning(arende: string): string {
  return `[Dnr ${arende}]`;
}

/** The subject with its marking; a subject that already carries it (a reply we answer) is left as it is. */
export function markeratAmne(subject: string, arende: string): string {
  const tag = amnesmarkning(arende);
  return subject.includes(tag) ? subject : `${subject} ${tag}`;
}

const MARKING = /\[\s*Dnr\s+([^\]]{4,40})\]/giu;

/** The ärende a marked subject (or a quoted one in a reply's body) names, as an ärende diarienummer; else null. */
export function arendeIMarkering(text: string, serie: string): string | null {
  for (const m of text.matchAll(MARKING)) {
    const found = findDiarienummer(m[1] ?? '', serie);
    if (found) return formatArende(found);
  }
  return null;
}
