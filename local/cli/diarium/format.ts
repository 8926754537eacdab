import type { AuditEntry, Handling } from '../../../domain/diarium/types.js';
import { svenskTidpunktSekunder } from '../../../domain/diarium/ankomstdatum.js';
import type { Verifiering } from '../../../domain/diarium/verifiera.js';

// Swedish text for the diarium CLI's output. Dates are written ÅÅÅÅ-MM-DD (ankomstdatum) and times in
// Swedish time (svenskTidpunktSekunder), as the kansli reads them in the diarium.

export const GRANSKNING_SV: Record<Handling['granskning'], string> = {
  'ej-aktuell': 'ej aktuell',
  'vantar-pa-kansliet': 'väntar på kansliet',
  pagar: 'pågår',
  godkand: 'godkänd',
  'komplettering-begard': 'komplettering begärd',
  'inget-beslut': 'inget beslut',
};
export const BEDOMNING_SV: Record<Handling['bedomning'], string> = {
  komplett: 'komplett',
  ofullstandig: 'ofullständig',
  olasbar: 'oläsbar',
  karantan: 'karantän',
  lases: 'läses',
};
export const KALLA_SV: Record<Handling['kalla'], string> = {
  epost: 'e-post',
  uppladdning: 'uppladdning',
  upprattad: 'upprättad',
  papper: 'papper (registrerad för hand)',
};

/** "1 handling", "2 handlingar". */
export function antal(n: number, en: string, flera: string): string {
  return `${n} ${n === 1 ? en : flera}`;
}

/** A size in bytes with Swedish digit grouping: "2 458 000 byte". */
export function byteText(n: number): string {
  return `${n.toLocaleString('sv-SE')} byte`;
}

/** A status column: MAKULERAD stands out from the assessment it replaces. */
export function statusText(h: Handling): string {
  return h.makulerad ? 'MAKULERAD' : BEDOMNING_SV[h.bedomning];
}

export function avsandareText(h: Handling): string {
  const a = h.avsandare;
  const person = [a.namn, a.epost ? `<${a.epost}>` : null].filter(Boolean).join(' ');
  return (
    [person || (a.kuvertAvsandare ? `<${a.kuvertAvsandare}>` : ''), a.organisation]
      .filter(Boolean)
      .join(', ') || 'okänd'
  );
}

/** The diarium's order: by time of arrival, then by number (SFG 26-1.2 before SFG 26-1.10). */
export const byArrival = (a: Handling, b: Handling) =>
  a.mottagen.localeCompare(b.mottagen) ||
  a.diarienummer.localeCompare(b.diarienummer, 'sv', { numeric: true });

/** Columns padded to their widest cell; the first row is the heading. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => chars(r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Grapheme clusters, so padding and clipping never split å written as a + ring. */
const segmenter = new Intl.Segmenter('sv');
const chars = (s: string) => Array.from(segmenter.segment(s), (x) => x.segment);
export const clip = (s: string, n: number) =>
  chars(s).length > n
    ? `${chars(s)
        .slice(0, n - 1)
        .join('')}…`
    : s;

export function verifieringText(v: Verifiering): string {
  if (v.ok)
    return `Loggen för ${v.arende} är hel: ${antal(v.antalPoster, 'post', 'poster')}, hashkedjan och ${antal(v.antalHandlingar, 'handling', 'handlingar')} stämmer.`;
  return [
    `LOGGEN FÖR ${v.arende} STÄMMER INTE (${antal(v.avvikelser.length, 'avvikelse', 'avvikelser')}):`,
    ...v.avvikelser.map((a) => `  – ${a.meddelande}`),
  ].join('\n');
}

export function loggText(logg: AuditEntry[]): string {
  return table([
    ['Nr', 'Tidpunkt', 'Händelse', 'Av', 'Uppgifter'],
    ...[...logg]
      .sort((a, b) => a.seq - b.seq)
      .map((e) => [
        String(e.seq),
        svenskTidpunktSekunder(e.tidpunkt),
        e.handelse,
        e.av,
        clip(JSON.stringify(e.data), 100),
      ]),
  ]);
}
