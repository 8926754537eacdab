import type { Handling } from '../diarium/types.js';
import { formatSek, type Rapport } from '../slutrapport/index.js';
import { AVSNITT_KEYS } from '../slutrapport/template.js';
import type { Beslut, Granskning } from './types.js';

/** A figure or field of section 1–3 or 8 that differs between two versions of a report. */
export interface Andring {
  /** Section number in the template ('1', '2', '3', '8'). */
  avsnitt: string;
  falt: string;
  fore: string;
  efter: string;
}

export interface Jamforelse {
  /** Subsections 4.1–7.2.1 whose answer differs (added, removed or rewritten). */
  avsnitt: string[];
  falt: Andring[];
}

/** The earlier round of the same ärende: its report, how it ended, and the answers given. */
export interface TidigareOmgang {
  handling: Handling;
  granskning: Granskning | null;
  beslut: Beslut[];
  jamforelse: Jamforelse | null;
}

const norm = (s: string | null): string => (s ?? '').replace(/\s+/g, ' ').trim();
const list = (a: string[]): string => a.join(', ');

/** What differs between two versions of a slutrapport: which sections, and which figures and fields. */
export function jamforRapporter(fore: Rapport, efter: Rapport): Jamforelse {
  const falt: Andring[] = [];
  const add = (avsnitt: string, namn: string, a: string, b: string): void => {
    if (norm(a) !== norm(b)) falt.push({ avsnitt, falt: namn, fore: a || '–', efter: b || '–' });
  };
  const sek = (n: number | null): string => (n === null ? '' : formatSek(n));
  const period = (r: Rapport): string =>
    r.insatstid ? `${r.insatstid.start ?? '?'} – ${r.insatstid.slut ?? '?'}` : '';
  add('1', 'Insatsens namn', fore.insatsnamn ?? '', efter.insatsnamn ?? '');
  add('1', 'Insatstid', period(fore), period(efter));
  add('1', 'Beviljade medel', sek(fore.beviljadeMedel), sek(efter.beviljadeMedel));
  add('1', 'Utnyttjade medel', sek(fore.utnyttjadeMedel), sek(efter.utnyttjadeMedel));
  add('2', 'Organisation', fore.organisation ?? '', efter.organisation ?? '');
  add('2', 'Arbetsställe', fore.arbetsstalle ?? '', efter.arbetsstalle ?? '');
  add('2', 'Kontaktperson', list(fore.kontaktpersoner), list(efter.kontaktpersoner));
  add('2', 'E-post', list(fore.epost), list(efter.epost));
  add('2', 'Telefon', list(fore.telefon), list(efter.telefon));
  add('3', 'Samverkansparter', list(fore.samverkansparter), list(efter.samverkansparter));
  add('8', 'Datum', fore.uppgiftslamnare?.datum ?? '', efter.uppgiftslamnare?.datum ?? '');
  add('8', 'Namn', fore.uppgiftslamnare?.namn ?? '', efter.uppgiftslamnare?.namn ?? '');
  const avsnitt = AVSNITT_KEYS.filter((k) => norm(fore.avsnitt[k]) !== norm(efter.avsnitt[k]));
  return { avsnitt, falt };
}

/**
 * The round before this handling in the same ärende: the latest earlier slutrapport (a komplettering answers
 * it). Null on a first round.
 */
export function tidigareRapport(handling: Handling, handlingar: Handling[]): Handling | null {
  const earlier = handlingar
    .filter(
      (h) =>
        h.handlingsnummer < handling.handlingsnummer &&
        h.rapport.typ === 'slutrapport' &&
        h.makulerad === null &&
        h.granskning !== 'ej-aktuell',
    )
    .sort((a, b) => b.handlingsnummer - a.handlingsnummer);
  return earlier[0] ?? null;
}
