/**
 * Reading values out of the walk's buckets: labelled values, two-column label rows whose values are told
 * apart by shape (dates, amounts, phone numbers, e-mail, postnummer), samverkansparter, organisation and
 * arbetsställe, names.
 */
import { findAmountSek, findFirstDate, findPhoneSpans } from '../normalisers.js';
import type { FieldKey } from '../template.js';
import { fold } from '../text.js';
import { lineOf, type Line } from './lines.js';
import type { Bucket } from './walk.js';

export type Values = Partial<Record<FieldKey, string[]>>;

function addValue(values: Values, field: FieldKey, value: string): void {
  const v = value.replace(/\s+/gu, ' ').trim();
  if (v === '' || /^[\s.,;:|–—-]*$/u.test(v)) return;
  (values[field] ??= []).push(v);
}

const ORG_PATTERNS: readonly RegExp[] = [
  /^(.{2,40}?\bkommuns?)(?=[\s,;]|$)/u,
  /^(region\s+\p{L}+)(?=[\s,;]|$)/u,
  /^(arbetsformedlingen|forsakringskassan)(?=[\s,;]|$)/u,
  /^(samordningsforbund(et)?\s+\p{L}+)(?=[\s,;]|$)/u,
  /^(landstinget\s+\p{L}+|\p{L}+\s+lans\s+landsting)(?=[\s,;]|$)/u,
];

/** Splits "Hudiksvalls kommun Arbetsliv & Försörjning Jobbcentrum" into organisation and arbetsställe. */
export function splitOrganisation(lines: readonly string[]): [string, string | null] {
  const joined = lines.join(' ').replace(/\s+/gu, ' ').trim();
  const folded = fold(joined);
  for (const re of ORG_PATTERNS) {
    const m = re.exec(folded);
    if (m) {
      const rest = joined
        .slice(m[0].length)
        .replace(/^[\s,;:–—-]+/u, '')
        .trim();
      return [joined.slice(0, m[0].length), rest === '' ? null : rest];
    }
  }
  if (lines.length >= 2) {
    const rest = lines.slice(1).join(' ').trim();
    return [lines[0]!.trim(), rest === '' ? null : rest];
  }
  const comma = joined.indexOf(',');
  if (comma > 0) return [joined.slice(0, comma).trim(), joined.slice(comma + 1).trim() || null];
  return [joined, null];
}

const POSTNR_SPAN = /(?<![\d-])(?:SE-?\s?)?[1-9]\d{2}\s?\d{2}(?![\d])/u;
const EMAIL_SPAN = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/**
 * Distributes one value row over the labels of a two-column label row: values with a shape (dates,
 * amounts, phone numbers, e-mail, postnummer) are taken by pattern, the rest goes to the text fields.
 */
function splitRow(fields: readonly FieldKey[], lines: readonly Line[], values: Values): void {
  // Explicit columns (table cells, tabs, wide gaps) decide when they agree with the labels.
  const firstLine = lines[0];
  if (firstLine && firstLine.cells.length === fields.length) {
    const cols = fields.map(() => [] as string[]);
    for (const l of lines) {
      if (l.cells.length === fields.length) l.cells.forEach((c, i) => cols[i]!.push(c));
      else cols[cols.length - 1]!.push(l.text);
    }
    fields.forEach((f, i) => {
      addValue(values, f, cols[i]!.join(' '));
    });
    return;
  }
  const rowLines = lines.map((l) => l.text);
  let rest = rowLines.join(' ');
  const take = (start: number, end: number): string => {
    const v = rest.slice(start, end);
    rest = `${rest.slice(0, start)}${' '.repeat(end - start)}${rest.slice(end)}`;
    return v;
  };
  const has = (f: FieldKey): boolean => fields.includes(f);
  if (has('diarienummer')) {
    const m = /\b[A-ZÅÄÖ]{2,6}\s*\d{2}\s*[-–—]\s*\d{1,5}(?:\s*\.\s*\d{1,5})?\b/u.exec(rest);
    if (m) addValue(values, 'diarienummer', take(m.index, m.index + m[0].length));
  }
  for (const f of ['insatstid', 'datum', 'ankomstdatum'] as const) {
    if (!has(f)) continue;
    const d1 = findFirstDate(rest);
    if (!d1) continue;
    let end = d1.end;
    if (f === 'insatstid') {
      const after = rest.slice(d1.end);
      const sep = /^\s*(?:[-–—]|till|to)\s*/u.exec(after);
      const d2 = sep ? findFirstDate(after.slice(sep[0].length)) : null;
      if (sep && d2 && d2.start === 0) end = d1.end + sep[0].length + d2.end;
    }
    addValue(values, f, take(d1.start, end));
  }
  if (has('epost')) {
    const found: string[] = [];
    for (const m of rest.matchAll(EMAIL_SPAN)) found.push(m[0]);
    for (const e of found) {
      const i = rest.indexOf(e);
      take(i, i + e.length);
    }
    if (found.length > 0) addValue(values, 'epost', found.join(', '));
  }
  if (has('telefon')) {
    const spans = findPhoneSpans(rest);
    const found = spans.map((s) => rest.slice(s.start, s.end));
    for (const s of spans) take(s.start, s.end);
    if (found.length > 0) addValue(values, 'telefon', found.join(' / '));
  }
  if (has('postnummer')) {
    const m = POSTNR_SPAN.exec(rest);
    if (m) addValue(values, 'postnummer', take(m.index, m.index + m[0].length));
  }
  for (const f of ['beviljadeMedel', 'utnyttjadeMedel'] as const) {
    if (!has(f)) continue;
    const m = findAmountSek(rest);
    if (m) addValue(values, f, take(m.start, m.end));
  }
  const textFields = fields.filter(
    (f) =>
      ![
        'diarienummer',
        'insatstid',
        'datum',
        'ankomstdatum',
        'epost',
        'telefon',
        'postnummer',
        'beviljadeMedel',
        'utnyttjadeMedel',
        'signatur',
      ].includes(f),
  );
  const remaining = rest
    .replace(/\s+/gu, ' ')
    .replace(/^[\s,;/–—-]+|[\s,;/–—-]+$/gu, '')
    .trim();
  if (textFields.length === 0 || remaining === '') return;
  if (textFields.length === 1) {
    addValue(values, textFields[0]!, remaining);
    return;
  }
  if (has('organisation') && has('arbetsstalle')) {
    // Re-split by line only when nothing was taken by pattern (lines are intact).
    const [org, unit] = splitOrganisation(remaining === rowLines.join(' ').trim() ? rowLines : [remaining]);
    addValue(values, 'organisation', org);
    if (unit !== null) addValue(values, 'arbetsstalle', unit);
    for (const f of textFields) {
      if (f !== 'organisation' && f !== 'arbetsstalle') addValue(values, f, '');
    }
    return;
  }
  if (rowLines.length >= textFields.length) {
    textFields.forEach((f, i) => {
      addValue(values, f, i === textFields.length - 1 ? rowLines.slice(i).join(' ') : rowLines[i]!);
    });
  } else {
    addValue(values, textFields[0]!, remaining);
  }
}

export function collectValues(buckets: readonly Bucket[]): { values: Values; samverkansparter: string[] } {
  const values: Values = {};
  const samverkansparter: string[] = [];
  for (const b of buckets) {
    if (b.kind === 'sub') continue;
    if (b.kind === 'section') {
      if (b.section === 3) for (const l of b.lines) addPart(samverkansparter, l.text);
      if (b.section === 8 && b.lines.length > 0) splitRow(['datum', 'namn'], b.lines, values);
      continue;
    }
    if (b.fields.length === 1 && b.fields[0] === 'samverkanspart') {
      // One party a row; a row starting in lower case continues the one before (a wrapped name).
      const rows: string[] = [];
      for (const t of [b.inline[0] ?? '', ...b.lines.map((l) => l.text)]) {
        if (t === '') continue;
        if (rows.length > 0 && /^\p{Ll}/u.test(t)) rows.push(`${rows.pop() ?? ''} ${t}`);
        else rows.push(t);
      }
      for (const r of rows) addPart(samverkansparter, r);
      continue;
    }
    const anyInline = b.inline.some((v) => v !== '');
    if (b.fields.length === 1 || anyInline) {
      b.fields.forEach((f, i) => {
        const isLast = i === b.fields.length - 1;
        const parts = [b.inline[i] ?? '', ...(isLast ? b.lines.map((l) => l.text) : [])];
        const v = parts.filter((p) => p !== '').join(f === 'kontaktpersoner' ? '\n' : ' ');
        if (b.fields.length === 1 && (f === 'postnummer' || f === 'datum')) {
          // "Postnummer 824 30 Hudiksvall" under a single label still carries both values.
          splitRow(
            f === 'postnummer' ? ['postnummer', 'postadress'] : ['datum', 'namn'],
            [lineOf(v)],
            values,
          );
        } else {
          addValue(values, f, v);
        }
      });
      continue;
    }
    if (b.lines.length > 0) splitRow(b.fields, b.lines, values);
  }
  return { values, samverkansparter };
}

function addPart(parts: string[], text: string): void {
  const v = text
    .replace(/\s+/gu, ' ')
    .replace(/^[\s•·*–—-]+|[\s,;]+$/gu, '')
    .trim();
  if (v === '' || !/\p{L}/u.test(v)) return;
  if (!parts.includes(v)) parts.push(v);
}

const NAME_SPLIT = /\s*(?:\/|;|\n|\s&\s|\soch\s|,\s*(?=\p{Lu}\p{Ll}+\s+\p{Lu}\p{Ll}+(?:\s|$)))\s*/u;

export function splitNames(raw: string): string[] {
  const out: string[] = [];
  for (const part of raw.split(NAME_SPLIT)) {
    const v = part
      .replace(EMAIL_SPAN, ' ')
      .replace(/^(namn|kontaktperson)\s*:?/iu, '')
      .replace(/\s+/gu, ' ')
      .replace(/^[\s,.:;–—-]+|[\s,:;–—-]+$/gu, '')
      .trim();
    if (v !== '' && /\p{L}{2,}/u.test(v) && !out.includes(v)) out.push(v);
  }
  return out;
}

export function cleanName(raw: string | null): string | null {
  if (raw === null) return null;
  // "Helena Hägg, Teamledare, Jobbcentrum, Hudiksvalls kommun": the name is the part before the title.
  const v = raw
    .split(',')[0]!
    .replace(/^(namn|underskrift)\s*:?/iu, '')
    .replace(/[\s.]+$/u, '')
    .trim();
  return v === '' || !/\p{L}{2,}/u.test(v) ? null : v;
}
