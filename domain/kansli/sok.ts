import type { Bedomning, GranskningStatus, Handling } from '../diarium/types.js';
import { toCsv } from '../diarium/csv.js';

/** One line of the diarium list: what the list, the search and the CSV need, without the report's content. */
export interface DiariumRad {
  diarienummer: string;
  arende: string;
  mottagen: string;
  ankomstdatum: string;
  avsandare: Handling['avsandare'];
  /** Avser: for a slutrapport "Slutrapport – <insats> – <organisation>", so the free text finds the insats. */
  beskrivning: string;
  bedomning: Bedomning;
  granskning: GranskningStatus;
  sekretess: boolean;
  flaggor: string[];
  makulerad: boolean;
}

/** The date index read for a period (a Query per year of gsi2, never a Scan). */
export interface DiariumSok {
  listRader(franDatum: string, tillDatum: string): Promise<DiariumRad[]>;
}

export const STATUSAR = {
  'vantar-pa-kansliet': 'Hålls kvar (väntar på kansliet)',
  pagar: 'Under granskning',
  godkand: 'Godkänd',
  'komplettering-begard': 'Komplettering begärd',
  'inget-beslut': 'Avslutad utan beslut',
  'ej-aktuell': 'Ingen granskning',
  makulerad: 'Makulerad',
} as const;
export type StatusFilter = keyof typeof STATUSAR;

/** Held mail is the status "vantar-pa-kansliet"; sekretess is its own filter (both are on the list index). */
export const SEKRETESSFILTER = { ja: 'Med sekretess', nej: 'Utan sekretess' } as const;
export type SekretessFilter = keyof typeof SEKRETESSFILTER;

export interface Sokning {
  fritext: string;
  status: StatusFilter | null;
  sekretess?: SekretessFilter | null;
  fran: string;
  till: string;
  sida: number;
}

export const PER_SIDA = 50;

export function statusAv(r: Pick<DiariumRad, 'makulerad' | 'granskning'>): StatusFilter {
  return r.makulerad ? 'makulerad' : r.granskning;
}

const norm = (s: string) => s.normalize('NFC').toLocaleLowerCase('sv');

/** Every word of the free text must occur in avser (with the insats), avsändare or diarienummer (case-insensitive). */
function traffar(r: DiariumRad, ord: string[]): boolean {
  if (ord.length === 0) return true;
  const text = norm(
    [
      r.diarienummer,
      r.beskrivning,
      r.avsandare.namn ?? '',
      r.avsandare.epost ?? '',
      r.avsandare.organisation ?? '',
    ].join('\u0000'),
  );
  return ord.every((o) => text.includes(o));
}

/**
 * Filters and sorts (newest first) what the date index gave for the period; `synlig` leaves out what the
 * reader may not see (sekretess for a läsare). Paging is by page number over the filtered result.
 */
export function sok(
  rader: readonly DiariumRad[],
  s: Sokning,
  synlig: (r: DiariumRad) => boolean,
): { traffar: DiariumRad[]; sida: DiariumRad[]; antalSidor: number } {
  const ord = norm(s.fritext).split(/\s+/).filter(Boolean);
  const t = rader
    .filter(
      (r) =>
        synlig(r) &&
        (s.status === null || statusAv(r) === s.status) &&
        (!s.sekretess || r.sekretess === (s.sekretess === 'ja')) &&
        traffar(r, ord),
    )
    .sort((a, b) => b.mottagen.localeCompare(a.mottagen) || b.diarienummer.localeCompare(a.diarienummer));
  const antalSidor = Math.max(1, Math.ceil(t.length / PER_SIDA));
  const sida = Math.min(Math.max(1, s.sida), antalSidor);
  return { traffar: t, sida: t.slice((sida - 1) * PER_SIDA, sida * PER_SIDA), antalSidor };
}

/** The current result as CSV (with BOM, for Excel). */
export function sokCsv(rader: readonly DiariumRad[]): string {
  return toCsv(
    [
      ['Diarienummer', 'Ankomstdatum', 'Avsändare', 'Organisation', 'Avser', 'Status', 'Sekretess'],
      ...rader.map((r) => [
        r.diarienummer,
        r.ankomstdatum,
        r.avsandare.namn ?? r.avsandare.epost ?? '',
        r.avsandare.organisation ?? '',
        r.beskrivning,
        STATUSAR[statusAv(r)],
        r.sekretess ? 'Ja' : 'Nej',
      ]),
    ],
    { bom: true },
  );
}
