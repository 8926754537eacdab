import type { Bedomning, GranskningStatus, Handling } from '../diarium/types.js';
import { toCsv } from '../diarium/csv.js';
import { parseHandlingNummer } from '../diarium/diarienummer.js';
import { KLASS_TEXT } from '../klassning/klassa.js';
import type { Klass } from '../klassning/types.js';

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
  /** The class of mail; a handling registered before the klassning counts as STANDARDKLASS (klassning/kansli). */
  klass: Klass;
  /** The insats of the handling's ärende (from the register), null when the ärende has none. */
  insatsId: string | null;
}

/**
 * What the store may filter before the rows reach the domain (a FilterExpression on the list index); `sok`
 * applies them again, with what the reader may see, to every row it gets.
 */
export interface RadFilter {
  /** Words that must all occur in sokbarText of the row. */
  ord: string[];
  status: StatusFilter | null;
  klass: Klass | null;
  insats: string | null;
  sekretess: SekretessFilter | null;
}

/** The list index read for a period (a Query per month of the list index, never a Scan). */
export interface DiariumSok {
  listRader(franDatum: string, tillDatum: string, filter?: RadFilter): Promise<DiariumRad[]>;
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

/** The columns the list sorts by (the header links), with their Swedish headings. */
export const KOLUMNER = {
  diarienummer: 'Diarienummer',
  ankomstdatum: 'Ankomstdatum',
  avsandare: 'Avsändare',
  avser: 'Avser',
  status: 'Status',
} as const;
export type SortKolumn = keyof typeof KOLUMNER;
export type Riktning = 'stigande' | 'fallande';
export interface Sortering {
  kolumn: SortKolumn;
  riktning: Riktning;
}

export interface Sokning {
  fritext: string;
  status: StatusFilter | null;
  sekretess?: SekretessFilter | null;
  klass?: Klass | null;
  /** An insats id from the register. */
  insats?: string | null;
  fran: string;
  till: string;
  sida: number;
  /** Absent: STANDARDSORTERING (newest first). */
  sortering?: Sortering | null;
}

export const KLASSFILTER: Readonly<Record<Klass, string>> = KLASS_TEXT;

export const PER_SIDA = 50;

export function statusAv(r: Pick<DiariumRad, 'makulerad' | 'granskning'>): StatusFilter {
  return r.makulerad ? 'makulerad' : r.granskning;
}

const norm = (s: string) => s.normalize('NFC').toLocaleLowerCase('sv');

/** The text the free text searches in: avser (with the insats), avsändare and diarienummer, normalised. */
export function sokbarText(r: Pick<DiariumRad, 'diarienummer' | 'beskrivning' | 'avsandare'>): string {
  return norm(
    [
      r.diarienummer,
      r.beskrivning,
      r.avsandare.namn ?? '',
      r.avsandare.epost ?? '',
      r.avsandare.organisation ?? '',
    ].join('\u0000'),
  );
}

/** The words of the free text, normalised as sokbarText. */
export const sokord = (fritext: string): string[] => norm(fritext).split(/\s+/).filter(Boolean);

/** Every word of the free text must occur in avser (with the insats), avsändare or diarienummer (case-insensitive). */
function traffar(r: DiariumRad, ord: string[]): boolean {
  if (ord.length === 0) return true;
  const text = sokbarText(r);
  return ord.every((o) => text.includes(o));
}

/** The filters of a search, for the store to apply early (the same ones `sok` applies again). */
export function radFilter(s: Sokning): RadFilter {
  return {
    ord: sokord(s.fritext),
    status: s.status,
    klass: s.klass ?? null,
    insats: s.insats ?? null,
    sekretess: s.sekretess ?? null,
  };
}

/** Whether a row passes the exact filters. */
export function passar(r: DiariumRad, f: RadFilter): boolean {
  return (
    (f.status === null || statusAv(r) === f.status) &&
    (f.klass === null || r.klass === f.klass) &&
    (f.insats === null || r.insatsId === f.insats) &&
    (f.sekretess === null || r.sekretess === (f.sekretess === 'ja'))
  );
}

const collator = new Intl.Collator('sv', { sensitivity: 'base', numeric: true });

/** Serie, year, ärende number, handling number: "SFG 26-9.2" before "SFG 26-10.1" (numbers, not text). */
function dnrNyckel(dnr: string): [string, number, number, number] {
  const n = parseHandlingNummer(dnr);
  return n ? [n.serie, n.ar, n.nummer, n.handling] : [dnr, 0, 0, 0];
}

function jamforDnr(a: [string, number, number, number], b: [string, number, number, number]): number {
  return (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) || a[1] - b[1] || a[2] - b[2] || a[3] - b[3];
}

export const avsandarText = (a: Handling['avsandare']): string => a.namn ?? a.epost ?? a.organisation ?? '';

/** Newest first: what the kansli works with. */
export const STANDARDSORTERING: Sortering = { kolumn: 'ankomstdatum', riktning: 'fallande' };

/**
 * Orders the rows by the chosen column (ties by diarienummer in the same direction), newest first when none
 * is chosen. Diarienummer sort as numbers. The keys are computed once per row: a year holds ten thousand rows.
 */
export function sortera(rader: DiariumRad[], sortering: Sortering | null | undefined): DiariumRad[] {
  const sort = sortering ?? STANDARDSORTERING;
  const keyed = rader.map((r) => ({ r, dnr: dnrNyckel(r.diarienummer) }));
  const tecken = sort.riktning === 'stigande' ? 1 : -1;
  let jamfor: (a: (typeof keyed)[number], b: (typeof keyed)[number]) => number;
  switch (sort.kolumn) {
    case 'diarienummer':
      jamfor = (a, b) => jamforDnr(a.dnr, b.dnr);
      break;
    case 'ankomstdatum':
      jamfor = (a, b) =>
        a.r.ankomstdatum.localeCompare(b.r.ankomstdatum) ||
        a.r.mottagen.localeCompare(b.r.mottagen) ||
        jamforDnr(a.dnr, b.dnr);
      break;
    case 'avsandare':
      jamfor = (a, b) =>
        collator.compare(avsandarText(a.r.avsandare), avsandarText(b.r.avsandare)) || jamforDnr(a.dnr, b.dnr);
      break;
    case 'avser':
      jamfor = (a, b) => collator.compare(a.r.beskrivning, b.r.beskrivning) || jamforDnr(a.dnr, b.dnr);
      break;
    case 'status':
      jamfor = (a, b) =>
        collator.compare(STATUSAR[statusAv(a.r)], STATUSAR[statusAv(b.r)]) || jamforDnr(a.dnr, b.dnr);
      break;
  }
  return keyed.sort((a, b) => tecken * jamfor(a, b)).map((k) => k.r);
}

/**
 * Filters and sorts what the list index gave for the period; `synlig` leaves out what the reader may not see
 * (sekretess for a läsare). Paging is by page number over the filtered result.
 */
export function sok(
  rader: readonly DiariumRad[],
  s: Sokning,
  synlig: (r: DiariumRad) => boolean,
): { traffar: DiariumRad[]; sida: DiariumRad[]; antalSidor: number } {
  const f = radFilter(s);
  const ord = f.ord;
  const t = sortera(
    rader.filter((r) => synlig(r) && passar(r, f) && traffar(r, ord)),
    s.sortering,
  );
  const antalSidor = Math.max(1, Math.ceil(t.length / PER_SIDA));
  const sida = Math.min(Math.max(1, s.sida), antalSidor);
  return { traffar: t, sida: t.slice((sida - 1) * PER_SIDA, sida * PER_SIDA), antalSidor };
}

/** The current result as CSV (with BOM, for Excel). */
export function sokCsv(rader: readonly DiariumRad[]): string {
  return toCsv(
    [
      ['Diarienummer', 'Ankomstdatum', 'Avsändare', 'Organisation', 'Avser', 'Klass', 'Status', 'Sekretess'],
      ...rader.map((r) => [
        r.diarienummer,
        r.ankomstdatum,
        r.avsandare.namn ?? r.avsandare.epost ?? '',
        r.avsandare.organisation ?? '',
        r.beskrivning,
        KLASS_TEXT[r.klass],
        STATUSAR[statusAv(r)],
        r.sekretess ? 'Ja' : 'Nej',
      ]),
    ],
    { bom: true },
  );
}
