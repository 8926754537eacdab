/**
 * Normalisers for the values senders write in the template: amounts, dates, date ranges, phone numbers,
 * e-mail addresses and postnummer. Each takes what a person typed (or OCR read) and returns a canonical
 * value, or null when it cannot be read with confidence.
 */
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import { fold, plainSpaces } from './text.js';

// ---------------------------------------------------------------------------------------------------------
// Amounts

// An optional currency word before ("SEK 300 000"), the number (thousands grouped by space, dot or comma;
// one or two decimals are öre), an optional multiplier (tkr, mnkr …) and an optional currency word after
// ("kr.", "kronor", ":-"). The currency words belong to the match so that a caller cutting the amount out
// of a row of text leaves no "kr" behind.
const AMOUNT =
  /(?:(?<!\p{L})(?:sek|kr)\.?\s*)?(?<![\d.,])(\d{1,3}(?:[ .,]\d{3})+(?![\d])(?:[.,]\d{1,2}(?!\d))?|\d+(?:[.,]\d{1,2}(?!\d))?)(?:\s*(tkr|tusen|mkr|miljoner|milj\.?|mnkr|msek|tsek)\b)?(?:\s*(?:kr\b\.?|kronor\b|sek\b|:-))?/iu;
const DATE_LIKE = /^\s*\d{4}[-./]\d{1,2}[-./]\d{1,2}/u;

/** An amount found in a text: where it stands (currency words included) and its value in whole kronor. */
export interface AmountHit {
  start: number;
  end: number;
  kronor: number;
}

/**
 * The first amount in Swedish kronor in `s`, with its position, for cutting it out of a row of several
 * values. This is the one reading of amounts: `parseAmountSek` and the insats register use it too.
 */
export function findAmountSek(s: string): AmountHit | null {
  const m = AMOUNT.exec(plainSpaces(s));
  if (!m) return null;
  let digits = m[1]!;
  let decimals = '';
  // The pattern only lets one or two trailing digits after a comma or dot through: that is öre.
  const dec = /[.,](\d{1,2})$/u.exec(digits);
  if (dec) {
    decimals = dec[1]!;
    digits = digits.slice(0, dec.index);
  }
  const whole = Number(digits.replace(/[ .,]/gu, ''));
  if (!Number.isFinite(whole)) return null;
  let value = whole + (decimals === '' ? 0 : Number(`0.${decimals}`));
  const unit = m[2]?.toLowerCase();
  if (unit !== undefined) {
    if (unit.startsWith('t')) value *= 1_000;
    else value *= 1_000_000;
  }
  return { start: m.index, end: m.index + m[0].length, kronor: Math.round(value) };
}

/**
 * Reads an amount in Swedish kronor and returns whole kronor (öre rounded): `2 458 000`, `625 000 kr.`,
 * `1 234 567,50 kr`, `100.000:-`, `1.200.000:-`, `625 tkr`, `2,5 mnkr`, `SEK 300 000`. The first amount
 * in the string counts; with `whole` the string must be that amount and nothing else (a spreadsheet cell).
 * A date is not an amount.
 */
export function parseAmountSek(s: string, opts?: { whole?: boolean }): number | null {
  const text = plainSpaces(s).replace(/\s+/gu, ' ').trim();
  if (DATE_LIKE.test(text)) return null;
  const hit = findAmountSek(text);
  if (!hit) return null;
  if (opts?.whole === true && (hit.start !== 0 || hit.end !== text.length)) return null;
  return hit.kronor;
}

/** `2458000` → `2 458 000 kr`, with plain spaces (U+0020) so it survives mail and terminals. */
export function formatSek(n: number): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(n)));
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/gu, ' ')} kr`;
}

// ---------------------------------------------------------------------------------------------------------
// Dates

const MONTHS: Record<string, number> = {
  januari: 1,
  jan: 1,
  februari: 2,
  feb: 2,
  febr: 2,
  mars: 3,
  mar: 3,
  april: 4,
  apr: 4,
  maj: 5,
  juni: 6,
  jun: 6,
  juli: 7,
  jul: 7,
  augusti: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  oktober: 10,
  okt: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};
const MONTH_NAMES = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

type DateOrder = 'ymd' | 'yymmdd' | 'dmy' | 'dmy-or-ymd' | 'named' | 'month';

interface DatePattern {
  re: RegExp;
  order: DateOrder;
}

// Tried in this order; at the same position the first pattern wins. All run on folded text (lower case,
// dashes unified) and are bounded so they never start or end inside a longer number.
const DATE_PATTERNS: DatePattern[] = [
  { re: /(?<!\d)(\d{4})\s?[-./]\s?(\d{1,2})\s?[-./]\s?(\d{1,2})(?!\d)\.?/gu, order: 'ymd' },
  { re: /(?<![\d-])(\d{4})(\d{2})(\d{2})(?![\d])/gu, order: 'ymd' },
  { re: /(?<![\d.])(\d{1,2})\s?[./]\s?(\d{1,2})\s?[./]\s?(\d{4})(?!\d)/gu, order: 'dmy' },
  { re: /(?<![\d./])(\d{1,2})\s?\/\s?(\d{1,2})(?:\s|\s?-\s?)(\d{4})(?!\d)/gu, order: 'dmy' },
  {
    re: new RegExp(`(?<!\\d)(\\d{1,2})(?::e|e)?\\s+(${MONTH_NAMES})\\.?,?\\s+(\\d{4})(?!\\d)`, 'gu'),
    order: 'named',
  },
  { re: /(?<![\d.,-])(\d{2})-(\d{2})-(\d{2})(?![\d])/gu, order: 'ymd' },
  { re: /(?<![\d.,])(\d{2})[./](\d{2})[./](\d{2})(?![\d.,])/gu, order: 'dmy-or-ymd' },
  { re: /(?<!\d)(\d{2})(\d{2})(\d{2})(?!\d)/gu, order: 'yymmdd' },
];
const MONTH_YEAR: DatePattern = {
  re: new RegExp(`(?<![\\p{L}\\d])(${MONTH_NAMES})\\.?\\s+(\\d{4})(?!\\d)`, 'gu'),
  order: 'month',
};

function isValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1900 || y > 2199) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number): string => `${y}-${pad(m)}-${pad(d)}`;

function fullYear(yy: number, reference: string | undefined): number {
  const refYear = reference !== undefined ? Number(reference.slice(0, 4)) : 2000;
  const candidate = 2000 + yy;
  // Two-digit years mean this century, unless that lands far in the future of the reference date.
  if (reference !== undefined && candidate > refYear + 20) return 1900 + yy;
  return candidate;
}

interface DateHit {
  start: number;
  end: number;
  iso: string;
  /** Last day of the month, for "december 2023" as the end of a range. */
  isoEnd?: string;
}

function toIso(order: DateOrder, g: string[], reference: string | undefined): [string, string?] | null {
  const [a, b, c] = g;
  if (a === undefined || b === undefined || c === undefined) {
    if (order === 'month' && a !== undefined && b !== undefined) {
      const m = MONTHS[a];
      const y = Number(b);
      if (m === undefined || !isValidDate(y, m, 1)) return null;
      const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
      return [iso(y, m, 1), iso(y, m, last)];
    }
    return null;
  }
  let y: number, m: number, d: number;
  switch (order) {
    case 'ymd':
      y = a.length === 2 ? fullYear(Number(a), reference) : Number(a);
      m = Number(b);
      d = Number(c);
      break;
    case 'yymmdd':
      y = fullYear(Number(a), reference);
      m = Number(b);
      d = Number(c);
      break;
    case 'dmy':
      d = Number(a);
      m = Number(b);
      y = Number(c);
      break;
    case 'named':
      d = Number(a);
      m = MONTHS[b] ?? 0;
      y = Number(c);
      break;
    case 'dmy-or-ymd': {
      const dmyYear = fullYear(Number(c), reference);
      if (isValidDate(dmyYear, Number(b), Number(a))) return [iso(dmyYear, Number(b), Number(a))];
      y = fullYear(Number(a), reference);
      m = Number(b);
      d = Number(c);
      break;
    }
    case 'month':
      return null;
  }
  return isValidDate(y, m, d) ? [iso(y, m, d)] : null;
}

function findDates(s: string, reference: string | undefined, withMonths: boolean): DateHit[] {
  const text = fold(s);
  const patterns = withMonths ? [...DATE_PATTERNS, MONTH_YEAR] : DATE_PATTERNS;
  const hits: DateHit[] = [];
  for (const p of patterns) {
    p.re.lastIndex = 0;
    for (const m of text.matchAll(p.re)) {
      const r = toIso(p.order, m.slice(1), reference);
      if (!r) continue;
      const start = m.index;
      const end = start + m[0].length;
      if (hits.some((h) => start < h.end && end > h.start)) continue;
      hits.push(r[1] !== undefined ? { start, end, iso: r[0], isoEnd: r[1] } : { start, end, iso: r[0] });
    }
  }
  return hits.sort((x, y) => x.start - y.start);
}

/**
 * The first date in `s` as ÅÅÅÅ-MM-DD: `2022-02-15`, `22-02-15`, `220215`, `2022.02.15.`, `15/2 2022`,
 * `15 februari 2022`. Two-digit years are read as 20ÅÅ unless that is more than 20 years after `reference`.
 */
export function parseDateSv(s: string, opts?: { reference?: string }): string | null {
  return findDates(s, opts?.reference, false)[0]?.iso ?? null;
}

/** Where the first date of `s` starts and ends, for splitting "22-02-15 Helena Hägg". */
export function findFirstDate(s: string): DateHit | null {
  return findDates(s, undefined, false)[0] ?? null;
}

/**
 * A period such as `2019-12-31 – 2021-12-31`, `211001 - 220131`, `2022.01.01. – 2023.12.31`,
 * `1 oktober 2021 till 31 januari 2022` or `januari 2022 – december 2023`. Null when no date is found;
 * a single date gives a range without end.
 */
export function parseDateRange(s: string): { start: string | null; slut: string | null } | null {
  const hits = findDates(s, undefined, true);
  const first = hits[0];
  if (first) {
    const second = hits[1];
    return { start: first.iso, slut: second ? (second.isoEnd ?? second.iso) : null };
  }
  const years = /^\s*(\d{4})\s*[-–—]\s*(\d{4})\s*$/u.exec(s);
  if (years) {
    const a = Number(years[1]);
    const b = Number(years[2]);
    if (a >= 1990 && b >= a && b < 2200) return { start: `${a}-01-01`, slut: `${b}-12-31` };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Phone numbers, e-mail, postnummer

/**
 * Swedish phone numbers in free text, as E.164 (`070-318 52 39` → `+46703185239`), in order, without
 * duplicates. Uses libphonenumber-js with full metadata so that dates and amounts are not taken for numbers.
 */
export function parsePhoneNumbers(s: string): string[] {
  const out: string[] = [];
  for (const hit of findPhoneNumbersInText(plainSpaces(s), 'SE')) {
    if (!hit.number.isValid()) continue;
    const e164 = hit.number.number;
    if (!out.includes(e164)) out.push(e164);
  }
  return out;
}

/** Phone number hits with their positions, for taking them out of a "name + number" row. */
export function findPhoneSpans(s: string): { start: number; end: number; e164: string }[] {
  return findPhoneNumbersInText(plainSpaces(s), 'SE')
    .filter((h) => h.number.isValid())
    .map((h) => ({ start: h.startsAt, end: h.endsAt, e164: h.number.number }));
}

const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/** E-mail addresses in a string (one or several, any separator), lower-cased, without duplicates. */
export function parseEmails(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(EMAIL)) {
    const address = m[0].replace(/^[.'-]+/u, '').toLowerCase();
    if (!out.includes(address)) out.push(address);
  }
  return out;
}

const POSTNUMMER = /(?<![\d-])(?:SE-?\s?)?([1-9]\d{2})\s?(\d{2})(?![\d])/u;

/**
 * Splits "824 30 Hudiksvall Norra Kyrkogatan 39" into postnummer `824 30` (always written NNN NN) and the
 * rest as postadress. A postnummer later in the string ("Box 12, 801 84 Gävle") is found as well.
 */
export function parsePostnummer(s: string): { postnummer: string | null; postadress: string | null } {
  const text = plainSpaces(s).replace(/\s+/gu, ' ').trim();
  const m = POSTNUMMER.exec(text);
  if (!m) return { postnummer: null, postadress: text === '' ? null : text };
  const rest = `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`
    .replace(/\s*,\s*,/gu, ',')
    .replace(/^[\s,;:-]+|[\s,;:-]+$/gu, '')
    .replace(/\s+/gu, ' ');
  return { postnummer: `${m[1]} ${m[2]}`, postadress: rest === '' ? null : rest };
}
