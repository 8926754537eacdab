/**
 * Personnummer and samordningsnummer in free text. Reports describe groups, not individuals, so a number
 * found here is a privacy incident to flag and to mask, never data to keep.
 *
 * The check is the one Skatteverket defines (SKV 704): a real date (samordningsnummer: day + 60) and the
 * Luhn check digit over the ten digits ÅÅMMDDNNNK. The npm package `personnummer` implements the same check
 * but ships CommonJS typings that do not resolve under NodeNext, and it validates a given string rather
 * than finding numbers in text, which is what we need here.
 */
import { isValidPhoneNumber } from 'libphonenumber-js/max';

export interface PersonnummerHit {
  /** As written, digits only with the separator kept: `121212-1212`. Never store this. */
  value: string;
  /** Birth date part kept, the last four digits masked: `121212-XXXX`. */
  masked: string;
  start: number;
  end: number;
  kind: 'personnummer' | 'samordningsnummer';
}

const CANDIDATE = /(?<![\d-])((?:19|20)?\d{6})(?:\s?([-+\u2013])\s?|\s)?(\d{4})(?![\d])/gu;

function luhnOk(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = tenDigits.charCodeAt(i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function dateOk(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function classify(datePart: string, rest: string): PersonnummerHit['kind'] | null {
  const short = datePart.slice(-6);
  if (!luhnOk(short + rest)) return null;
  const yy = Number(short.slice(0, 2));
  const m = Number(short.slice(2, 4));
  const d = Number(short.slice(4, 6));
  const years = datePart.length === 8 ? [Number(datePart.slice(0, 4))] : [1900 + yy, 2000 + yy];
  const kind = d > 60 ? 'samordningsnummer' : 'personnummer';
  const day = d > 60 ? d - 60 : d;
  return years.some((y) => dateOk(y, m, day)) ? kind : null;
}

/** Every valid personnummer or samordningsnummer in `text`, with positions and a masked form. */
export function findPersonnummer(text: string): PersonnummerHit[] {
  const out: PersonnummerHit[] = [];
  CANDIDATE.lastIndex = 0;
  for (const m of text.matchAll(CANDIDATE)) {
    const datePart = m[1]!;
    const sep = m[2];
    const rest = m[3]!;
    const kind = classify(datePart, rest);
    if (kind === null) continue;
    const written = m[0];
    // Ten digits in a row that start with 0 are far more often a phone number (0703185239).
    if (sep === undefined && datePart.length === 6 && datePart.startsWith('0')) {
      if (isValidPhoneNumber(written.replace(/\s/gu, ''), 'SE')) continue;
    }
    const separator = sep === '+' ? '+' : '-';
    out.push({
      value: `${datePart}${separator}${rest}`,
      masked: `${datePart}${separator}XXXX`,
      start: m.index,
      end: m.index + written.length,
      kind,
    });
  }
  return out;
}

/** `text` with every personnummer and samordningsnummer replaced by its masked form. */
export function maskPersonnummer(text: string): string {
  const hits = findPersonnummer(text);
  if (hits.length === 0) return text;
  let out = '';
  let at = 0;
  for (const h of hits) {
    out += text.slice(at, h.start) + h.masked;
    at = h.end;
  }
  return out + text.slice(at);
}
