/**
 * Tolerant reading of the slutrapport template from any text layer (docx text, PDF text with two-column
 * rows and page footers, tables flattened to text, OCR with damaged diacritics, a report pasted into an
 * e-mail body). One pass over the lines: headings and labels are recognised by tolerant word alignment,
 * everything else is content of the current field or subsection. Nothing here judges the report; that is
 * validate.ts.
 */
import { findDiarienummer, formatArende, formatHandling } from '../diarium/diarienummer.js';
import {
  findFirstDate,
  findPhoneSpans,
  parseAmountSek,
  parseDateRange,
  parseDateSv,
  parseEmails,
  parsePhoneNumbers,
  parsePostnummer,
} from './normalisers.js';
import { findPersonnummer, maskPersonnummer } from './personnummer.js';
import { DEFAULT_SERIE } from '../defaults.js';
import type { ParsedSlutrapport, PersonnummerFynd, Rapport, RawFields } from './schema.js';
import {
  AVSNITT_KEYS,
  FIELDS,
  SECTIONS,
  SUBSECTIONS,
  type FieldAnchor,
  type FieldKey,
  type SectionAnchor,
  type SubsectionAnchor,
} from './template.js';
import { align, fold, plainSpaces, sameWord, tokens, type Token } from './text.js';

// ---------------------------------------------------------------------------------------------------------
// Lines

class Line {
  private tokenCache: Token[] | null = null;
  noise = false;
  readonly folded: string;

  constructor(
    /** Offset of the line in the original text. */
    readonly offset: number,
    /** Cleaned line: NFC, plain spaces, quote markers and table pipes removed, whitespace collapsed. */
    readonly text: string,
    /** Columns when the line has explicit ones (table pipes, tabs, wide gaps). */
    readonly cells: string[],
  ) {
    this.folded = fold(text);
  }

  /** Words of the folded line, computed on first use: most lines are only looked at once. */
  get toks(): Token[] {
    return (this.tokenCache ??= tokens(this.folded));
  }
}

const TABLE_RULE = /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$/u;
const TRAILING_PAGE_MARK = /\s{2,}sida\s*\d+\s*(\(\s*\d+\s*\)|av\s*\d+)\s*$/iu;

const NOISE_PARTS: readonly RegExp[] = [
  /^(https?:\/\/|www\.)\S*$/u,
  /^mailto:\S*$/u,
  /finsamgavleborg\.se kan du lasa mer/u,
  /^sida\s*\d+\s*(\(\s*\d+\s*\)|av\s*\d+)?$/u,
  /^\d+\s*\(\s*\d+\s*\)$/u,
  /^-\s*\d+\s*-$/u,
  /^rapportens syfte ar att formedla information/u,
  /^slutrapport$/u,
  /^(slutrapport\s*-?\s*)?insats for samverkansmedel$/u,
  /^denna mall ska anvandas vid slutrapportering/u,
  /^insatser finansierade av samordningsforbund/u,
  /^kontakt:?$/u,
];
// The kansli's own contact block (förbundschef, verksamhetsutvecklare, their addresses and numbers) is
// template, and must never be read as the insatsägare's contact details.
const KANSLI = /@finsamgavleborg\.se|,\s*(forbundschef|verksamhetsutvecklare)\b/u;
const NOISE = new RegExp(NOISE_PARTS.map((re) => `(?:${re.source})`).join('|'), 'u');
const PHONE_ONLY = /^((tfn|tel|telefon|mobil)\.?:?\s*[\d\s()+-]{6,}\s*)+$/u;
const TWO_PHONES = /(tfn|tel|telefon)\.?:?[\s\S]*(tfn|tel|telefon)\.?:?/u;
// Where a report pasted into an e-mail ends and the signature or a quoted mail begins.
const TERMINATOR =
  /^((med )?(vanliga|vanlig|basta|hjartliga) halsningar|mvh\b|halsningar\b|--\s*$|skickat fran min|-{3,}\s*(ursprungligt|original|forwarded)|(fran|from|skickat|sent):\s)/u;

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /\r\n|\r|\n/gu;
  let at = 0;
  const push = (raw: string, offset: number): void => {
    let s = /[\u0300-\u036f]/u.test(raw) ? raw.normalize('NFC') : raw;
    s = plainSpaces(s).replace(/[\u200b\u200e\u200f\ufeff]/gu, '');
    if (/^\s*[>#]/u.test(s)) s = s.replace(/^(\s*>)+\s?/u, '').replace(/^\s*#{1,6}\s+/u, '');
    if (/sida/iu.test(s)) s = s.replace(TRAILING_PAGE_MARK, '');
    let cells: string[];
    const trimmed = s.trim();
    if (TABLE_RULE.test(trimmed) && trimmed.includes('-')) {
      cells = [];
      s = '';
    } else if (trimmed.startsWith('|') || / \| /u.test(trimmed)) {
      cells = trimmed
        .split('|')
        .map((c) => c.trim())
        .filter((c) => c !== '');
      s = cells.join(' ');
    } else {
      cells = trimmed
        .split(/\s{3,}/u)
        .map((c) => c.trim())
        .filter((c) => c !== '');
    }
    out.push(new Line(offset, s.replace(/\s+/gu, ' ').trim(), cells));
  };
  for (const m of text.matchAll(re)) {
    push(text.slice(at, m.index), at);
    at = m.index + m[0].length;
  }
  push(text.slice(at), at);
  markNoise(out);
  return out;
}

function markNoise(lines: Line[]): void {
  let inKansli = false;
  for (const line of lines) {
    const f = line.folded;
    if (f === '') continue;
    if (KANSLI.test(f)) {
      line.noise = true;
      inKansli = true;
      continue;
    }
    if (PHONE_ONLY.test(f) && (inKansli || TWO_PHONES.test(f))) {
      line.noise = true;
      continue;
    }
    inKansli = false;
    if (NOISE.test(f)) line.noise = true;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Recognising headings and labels

type Heading = SectionAnchor | SubsectionAnchor;

/** Sections and subsections in template order; headings are only accepted moving forward. */
const ORDER: readonly Heading[] = (() => {
  const out: Heading[] = [];
  for (const s of SECTIONS) {
    out.push(s);
    for (const sub of SUBSECTIONS) if (sub.section === s.section) out.push(sub);
  }
  return out;
})();

// "4.1", "7.2.1", "4,1", OCR's "4.l"; the digit after a dot is never the first letter of a word ("4. Insats").
const NUMBER_PREFIX =
  /^(\d)(?!\d)(?:\s?[.,]\s?([\dli])(?![\p{L}\d]))?(?:\s?[.,]\s?([\dli])(?![\p{L}\d]))?\s?[.,):]?/u;

function numberPrefix(folded: string): { nr: string; tokenFrom: number } | null {
  const m = NUMBER_PREFIX.exec(folded);
  if (!m) return null;
  const after = folded.charAt(m[0].length);
  if (after !== '' && !/[\s\p{L}]/u.test(after)) return null;
  const parts = [m[1], m[2], m[3]]
    .filter((p): p is string => p !== undefined)
    .map((p) => (p === 'l' || p === 'i' ? '1' : p));
  return { nr: parts.join('.'), tokenFrom: m[0].length };
}

function firstTokenAt(toks: readonly Token[], offset: number): number {
  let i = 0;
  while (i < toks.length && toks[i]!.start < offset) i++;
  return i;
}

interface HeadingMatch {
  heading: Heading;
  order: number;
  /** Offset in line.text where the heading's content (label onwards, number excluded) starts. */
  contentFrom: number;
}

const HEADING_FIRST_WORDS: ReadonlySet<string> = new Set(ORDER.map((h) => h.words[0]!));
const HEADING_PREFIXES: ReadonlySet<string> = new Set(
  ORDER.filter((h) => h.words[0]!.length >= 5).map((h) => h.words[0]!.slice(0, 3)),
);

function mayStartHeading(folded: string): boolean {
  const w = FIRST_WORD.exec(folded)?.[0] ?? '';
  return HEADING_FIRST_WORDS.has(w) || (w.length >= 5 && HEADING_PREFIXES.has(w.slice(0, 3)));
}
const FIRST_WORD = /^[\p{L}\p{N}]+/u;

function matchHeading(line: Line, afterOrder: number): HeadingMatch | null {
  const num = numberPrefix(line.folded);
  // Cheap rejection of the many content lines: a heading starts with its number or its first word.
  if (!num && !mayStartHeading(line.folded)) return null;
  const from = num ? firstTokenAt(line.toks, num.tokenFrom) : 0;
  const rest = line.toks.length - from;
  let best: { m: HeadingMatch; score: number } | null = null;
  for (let o = afterOrder + 1; o < ORDER.length; o++) {
    const h = ORDER[o]!;
    if (num && num.nr !== h.nr) continue;
    const a = align(h.words, line.toks, from);
    let ok: boolean;
    if (num) {
      // A bare number on its own line is a heading only when it has a dot ("5.1", "6."): "6" alone is content.
      const bare = rest === 0 && (num.nr.includes('.') || /^\d\.\s*$/u.test(line.folded));
      ok = bare || a.matched >= Math.min(2, h.words.length) || (h.words.length <= 2 && a.matched >= 1);
    } else {
      const need = h.words.length >= 4 ? h.words.length - 1 : h.words.length;
      ok = a.matched >= need && sameWord(h.words[0]!, line.toks[0]?.w ?? '');
      if (ok && h.words.length === 1) {
        // A one-word heading without number ("Analys") must stand alone or be followed by a colon or its question.
        const tail = line.text.slice(line.toks[0]!.end).trim();
        const q = h.kind === 'subsection' ? h.questionWords : h.words;
        ok = tail === '' || tail.startsWith(':') || align(q, line.toks, 0).matched >= 3;
      }
    }
    if (!ok) continue;
    const score = a.matched * 2 - (a.next - from - a.matched) + (num ? 10 : 0);
    if (!best || score > best.score) {
      best = { m: { heading: h, order: o, contentFrom: line.toks[from]?.start ?? line.text.length }, score };
    }
    if (num) break;
  }
  return best?.m ?? null;
}

interface LabelHit {
  field: FieldKey;
  /** Offsets in line.text. */
  labelStart: number;
  labelEnd: number;
}

function matchVariantAt(anchor: FieldAnchor, toks: readonly Token[], at: number, exact: boolean): number {
  for (const v of anchor.variants) {
    const a = align(v, toks, at);
    // The first letter must agree: "Postadress" is not a damaged "Epostadress".
    if (!a.complete || v[0]!.charAt(0) !== toks[at]?.w.charAt(0)) continue;
    if (
      exact
        ? a.matched === v.length && a.next - at === v.length
        : a.matched >= v.length - (v.length >= 3 ? 1 : 0)
    ) {
      if (!sameWord(v[0]!, toks[at]?.w ?? '')) continue;
      return a.next;
    }
  }
  return -1;
}

function candidateFields(section: number): FieldAnchor[] {
  return FIELDS.filter(
    (f) => f.section === section || (!f.strict && section <= 2 && f.section > section && f.section <= 2),
  );
}

/** Labels on a line that starts with one: "Organisations namn Arbetsställets namn", "Datum: 2022-02-03". */
function matchLabels(line: Line, section: number): LabelHit[] {
  const candidates = candidateFields(section);
  if (candidates.length === 0 || line.toks.length === 0) return [];
  let first: { f: FieldAnchor; next: number } | null = null;
  for (const f of candidates) {
    const next = matchVariantAt(f, line.toks, 0, f.strict);
    if (next > 0 && (!first || next > first.next)) first = { f, next };
  }
  if (!first) return [];
  // A strict one-word label ("Namn", "Datum") followed by text that is not another label is a label with
  // its value only when written "Namn: …"; "Namnet på …" is content.
  const hits: LabelHit[] = [
    { field: first.f.field, labelStart: line.toks[0]!.start, labelEnd: line.toks[first.next - 1]!.end },
  ];
  let t = first.next;
  while (t < line.toks.length) {
    let found: { f: FieldAnchor; next: number } | null = null;
    for (const f of candidates) {
      if (hits.some((h) => h.field === f.field)) continue;
      const next = matchVariantAt(f, line.toks, t, true);
      if (next > 0 && (!found || next > found.next)) found = { f, next };
    }
    if (found) {
      hits.push({
        field: found.f.field,
        labelStart: line.toks[t]!.start,
        labelEnd: line.toks[found.next - 1]!.end,
      });
      t = found.next;
    } else {
      t++;
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------------------
// The walk

interface FieldBucket {
  kind: 'fields';
  section: number;
  fields: FieldKey[];
  inline: string[];
  lines: Line[];
}

interface SubBucket {
  kind: 'sub';
  anchor: SubsectionAnchor;
  first: string;
  lines: Line[];
}

interface SectionBucket {
  kind: 'section';
  section: number;
  lines: Line[];
}

type Bucket = FieldBucket | SubBucket | SectionBucket;

interface Walk {
  buckets: Bucket[];
  header: Line[];
  sections: Set<number>;
  subsections: Set<string>;
  /** Zone (for locating personnummer) by line index. */
  zones: string[];
  lines: Line[];
}

const INSATSTID_HINT = /^[\s:–—-]*[a-zåäö&6?]{3,4}\s*-\s*mm\s*-\s*dd\b[\s:]*/iu;

function walk(text: string): Walk {
  const lines = splitLines(text);
  const buckets: Bucket[] = [];
  const header: Line[] = [];
  const sections = new Set<number>();
  const subsections = new Set<string>();
  const zones: string[] = [];
  let section = 0;
  let order = -1;
  let zone = 'sidhuvud';
  let current: Bucket | null = null;
  let ended = false;

  for (const line of lines) {
    if (ended || line.noise || line.text === '') {
      zones.push(zone);
      continue;
    }
    if (section >= 4 && TERMINATOR.test(line.folded)) {
      ended = true;
      zones.push(zone);
      continue;
    }
    const h = matchHeading(line, order);
    if (h) {
      order = h.order;
      section = h.heading.section;
      if (h.heading.kind === 'section') {
        sections.add(section);
        zone = h.heading.nr;
        current = { kind: 'section', section, lines: [] };
        // "3. Samverkansparter Arbetsförmedlingen": the rest of the heading line is content.
        const restTokens = line.toks.slice(firstTokenAt(line.toks, h.contentFrom));
        const a = align(h.heading.words, restTokens, 0);
        const restFrom = restTokens[a.next]?.start;
        if (restFrom !== undefined) {
          const restLine = sliceLine(line, restFrom);
          const labels = matchLabels(restLine, section);
          if (labels.length > 0) current = labelBucket(restLine, labels, section);
          else current.lines.push(restLine);
        }
      } else {
        subsections.add(h.heading.nr);
        zone = h.heading.nr;
        current = { kind: 'sub', anchor: h.heading, first: line.text.slice(h.contentFrom), lines: [] };
      }
      buckets.push(current);
      zones.push(zone);
      continue;
    }
    if (section <= 3 || section === 8) {
      const labels = matchLabels(line, section);
      const firstField = labels.length > 0 ? FIELDS.find((f) => f.field === labels[0]!.field)! : null;
      // A label of a later section (its heading missing) counts only on a line of labels alone, so that a
      // value such as "Organisation för unga" is not taken for one.
      const accept =
        firstField !== null &&
        (firstField.section <= section || labelBucket(line, labels, section).inline.every((v) => v === ''));
      if (accept) {
        if (firstField.section > section) {
          section = firstField.section;
          zone = String(section);
        }
        current = labelBucket(line, labels, section);
        buckets.push(current);
        zones.push(zone);
        continue;
      }
    }
    zones.push(zone);
    if (current) current.lines.push(line);
    else header.push(line);
  }
  return { buckets, header, sections, subsections, zones, lines };
}

function sliceLine(line: Line, from: number): Line {
  const text = line.text.slice(from).trim();
  return new Line(line.offset, text, text === '' ? [] : [text]);
}

function labelBucket(line: Line, labels: LabelHit[], section: number): FieldBucket {
  const inline = labels.map((l, i) => {
    const end = labels[i + 1]?.labelStart ?? line.text.length;
    let v = line.text.slice(l.labelEnd, end);
    if (l.field === 'insatstid') v = v.replace(INSATSTID_HINT, '');
    return v.replace(/^[\s:;.,)–—-]+/u, '').trim();
  });
  return { kind: 'fields', section, fields: labels.map((l) => l.field), inline, lines: [] };
}

// ---------------------------------------------------------------------------------------------------------
// Values

type Values = Partial<Record<FieldKey, string[]>>;

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
function splitOrganisation(lines: readonly string[]): [string, string | null] {
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

const AMOUNT_SPAN =
  /(?<![\d.,])\d{1,3}(?:[ .]\d{3})+(?:,\d{1,2})?(?![\d])(?:\s*(?:kr\.?|kronor|sek|:-))?|(?<![\d.,])\d+(?:,\d{1,2})?(?![\d])(?:\s*(?:kr\.?|kronor|sek|:-|tkr|mkr))?/giu;
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
      addValue(values, f, cols[i]!.join(f === 'organisation' || f === 'arbetsstalle' ? ' ' : ' '));
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
    AMOUNT_SPAN.lastIndex = 0;
    const m = AMOUNT_SPAN.exec(rest);
    if (m) addValue(values, f, take(m.index, m.index + m[0].length));
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

function collectValues(buckets: readonly Bucket[]): { values: Values; samverkansparter: string[] } {
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

function lineOf(text: string): Line {
  return new Line(0, text, [text]);
}

function addPart(parts: string[], text: string): void {
  const v = text
    .replace(/\s+/gu, ' ')
    .replace(/^[\s•·*–—-]+|[\s,;]+$/gu, '')
    .trim();
  if (v === '' || !/\p{L}/u.test(v)) return;
  if (!parts.includes(v)) parts.push(v);
}

/** The answer under a subsection heading, with the heading and the template's question text removed. */
function answerOf(b: SubBucket): string | null {
  const content = [b.first, ...b.lines.map((l) => l.text)].join('\n');
  // The question is at most a few hundred characters: fold and split only the start.
  const toks = tokens(fold(content.slice(0, 800)));
  const a = align(b.anchor.questionWords, toks, 0);
  const from = toks[a.next]?.start;
  if (from === undefined) return null;
  const answer = content
    .slice(from)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
  return /[\p{L}\p{N}]{2,}/u.test(answer) ? answer : null;
}

const NAME_SPLIT = /\s*(?:\/|;|\n|\s&\s|\soch\s|,\s*(?=\p{Lu}\p{Ll}+\s+\p{Lu}\p{Ll}+(?:\s|$)))\s*/u;

function splitNames(raw: string): string[] {
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

function cleanName(raw: string | null): string | null {
  if (raw === null) return null;
  // "Helena Hägg, Teamledare, Jobbcentrum, Hudiksvalls kommun": the name is the part before the title.
  const v = raw
    .split(',')[0]!
    .replace(/^(namn|underskrift)\s*:?/iu, '')
    .replace(/[\s.]+$/u, '')
    .trim();
  return v === '' || !/\p{L}{2,}/u.test(v) ? null : v;
}

// ---------------------------------------------------------------------------------------------------------
// Public

/** How much a text looks like the template, 0..1: the share of its headings and labels found. */
export function looksLikeSlutrapport(text: string): number {
  return likeness(fold(text).replace(/\s+/gu, ' '));
}

function likeness(folded: string): number {
  let found = 0;
  for (const key of LIKENESS_KEYS) if (folded.includes(key)) found++;
  return Math.round((found / LIKENESS_KEYS.length) * 1000) / 1000;
}

const LIKENESS_KEYS: readonly string[] = [
  'slutrapport',
  'allmanna uppgifter',
  'insatsens namn',
  'insatstid',
  'beviljade medel',
  'utnyttjade medel',
  'ansvarig for genomforande',
  'samverkansparter',
  'insatsbeskrivning',
  'syfte och bakgrund',
  'malgrupp for insatsen',
  'maluppfyllelse',
  'arbetssatt och verksamhetsbeskrivning',
  'avvikelser fran planering',
  'uppfoljning och utvardering',
  'erfarenheter och lardomar',
  'brukarmedverkan',
  'framgangsfaktorer',
  'systemfel',
  'ekonomiuppfoljning',
  'uppgiftslamnare',
];

const first = (values: Values, f: FieldKey): string | null => values[f]?.[0] ?? null;
const all = (values: Values, f: FieldKey): string | null => {
  const v = values[f];
  return v === undefined || v.length === 0 ? null : v.join('\n');
};

/** Reads the template from text. Tolerant: whatever cannot be found is null, never an exception. */
export function parseSlutrapport(text: string, opts?: { serie?: string }): ParsedSlutrapport {
  const serie = opts?.serie ?? DEFAULT_SERIE;
  const w = walk(text);
  const { values, samverkansparter } = collectValues(w.buckets);

  // Header: the labelled diarienummer, else one in the lines before section 1.
  const headerText = [first(values, 'diarienummer') ?? '', ...w.header.map((l) => l.text)].join('\n');
  const dnr = findDiarienummer(headerText, serie);
  const diarienummer =
    dnr === null
      ? null
      : dnr.handling === null
        ? formatArende(dnr)
        : formatHandling({ ...dnr, handling: dnr.handling });

  const raw: RawFields = {
    insatsnamn: first(values, 'insatsnamn'),
    insatstid: first(values, 'insatstid'),
    beviljadeMedel: first(values, 'beviljadeMedel'),
    utnyttjadeMedel: first(values, 'utnyttjadeMedel'),
    organisation: first(values, 'organisation'),
    arbetsstalle: first(values, 'arbetsstalle'),
    kontaktpersoner: all(values, 'kontaktpersoner'),
    telefon: all(values, 'telefon'),
    epost: all(values, 'epost'),
    postnummer: first(values, 'postnummer'),
    postadress: first(values, 'postadress'),
    uppgiftslamnareDatum: first(values, 'datum'),
    uppgiftslamnareNamn: first(values, 'namn'),
  };

  let organisation = raw.organisation;
  let arbetsstalle = raw.arbetsstalle;
  if (organisation !== null && arbetsstalle === null && values.arbetsstalle === undefined) {
    // Organisation and unit written together under one label.
    const [o, u] = splitOrganisation([organisation]);
    if (u !== null && o !== organisation) {
      organisation = o;
      arbetsstalle = u;
    }
  }

  const kontaktRaw = raw.kontaktpersoner;
  const telefon = parsePhoneNumbers([raw.telefon ?? '', kontaktRaw ?? ''].join(' / '));
  let kontaktText = kontaktRaw ?? '';
  for (const s of findPhoneSpans(kontaktText).reverse()) {
    kontaktText = kontaktText.slice(0, s.start) + ' ' + kontaktText.slice(s.end);
  }
  const epost = parseEmails([raw.epost ?? '', kontaktRaw ?? ''].join(' ')).filter(
    (e) => !e.endsWith('@finsamgavleborg.se'),
  );

  let postnummer: string | null = null;
  let postadress: string | null = raw.postadress;
  if (raw.postnummer !== null) {
    const p = parsePostnummer(raw.postnummer);
    postnummer = p.postnummer;
    if (postadress === null && p.postadress !== null && p.postnummer !== null) postadress = p.postadress;
  }
  if (postnummer === null && postadress !== null) {
    const p = parsePostnummer(postadress);
    if (p.postnummer !== null) {
      postnummer = p.postnummer;
      postadress = p.postadress;
    }
  }

  const mask = (s: string | null): string | null => (s === null ? null : maskPersonnummer(s));
  const answers = new Map<string, string | null>();
  for (const b of w.buckets) {
    if (b.kind === 'sub' && !answers.get(b.anchor.nr)) answers.set(b.anchor.nr, answerOf(b));
  }
  const avsnitt: Rapport['avsnitt'] = {
    '4.1': null,
    '4.2': null,
    '5.1': null,
    '5.2': null,
    '5.3': null,
    '5.4': null,
    '6.1': null,
    '6.2': null,
    '6.3': null,
    '6.4': null,
    '6.5': null,
    '7.1.1': null,
    '7.2.1': null,
  };
  for (const k of AVSNITT_KEYS) avsnitt[k] = mask(answers.get(k) ?? null);

  const hasSection8 = w.sections.has(8) || values.datum !== undefined || values.namn !== undefined;
  const insatstid = raw.insatstid === null ? null : parseDateRange(raw.insatstid);

  const rapport: Rapport = {
    diarienummer,
    insatsnamn: mask(raw.insatsnamn?.replace(/^["'”“]+|["'”“]+$/gu, '').trim() ?? null),
    insatstid,
    beviljadeMedel: raw.beviljadeMedel === null ? null : parseAmountSek(raw.beviljadeMedel),
    utnyttjadeMedel: raw.utnyttjadeMedel === null ? null : parseAmountSek(raw.utnyttjadeMedel),
    organisation: mask(organisation?.replace(/[\s,;]+$/u, '') ?? null),
    arbetsstalle: mask(arbetsstalle?.replace(/[\s,;]+$/u, '') ?? null),
    kontaktpersoner: splitNames(kontaktText).map((n) => maskPersonnummer(n)),
    epost,
    telefon,
    postnummer,
    postadress: mask(postadress),
    samverkansparter: samverkansparter.map((p) => maskPersonnummer(p)),
    avsnitt,
    uppgiftslamnare: hasSection8
      ? {
          datum: raw.uppgiftslamnareDatum === null ? null : parseDateSv(raw.uppgiftslamnareDatum),
          namn: mask(cleanName(raw.uppgiftslamnareNamn)),
        }
      : null,
  };

  return {
    rapport,
    raw,
    header: {
      diarienummer,
      signatur: first(values, 'signatur'),
      ankomstdatum: (() => {
        const a = first(values, 'ankomstdatum');
        return a === null ? null : parseDateSv(a);
      })(),
    },
    hittat: {
      sektioner: [...w.sections].sort((a, b) => a - b),
      avsnitt: AVSNITT_KEYS.filter((k) => w.subsections.has(k)),
      uppgiftslamnare: hasSection8,
    },
    personnummer: locatePersonnummer(text, w),
    likhet: likeness(w.lines.map((l) => l.folded).join(' ')),
  };
}

function locatePersonnummer(text: string, w: Walk): PersonnummerFynd[] {
  const hits = findPersonnummer(text);
  return hits.map((h) => {
    let i = 0;
    while (i + 1 < w.lines.length && w.lines[i + 1]!.offset <= h.start) i++;
    return { maskerat: h.masked, avsnitt: w.zones[i] ?? 'sidhuvud', start: h.start, slut: h.end };
  });
}
