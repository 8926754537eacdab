/**
 * Recognising the template's headings (sections and subsections, numbered or not) and field labels on a line,
 * by tolerant word alignment so that OCR damage and small rewordings still match.
 */
import {
  FIELDS,
  SECTIONS,
  SUBSECTIONS,
  type FieldAnchor,
  type FieldKey,
  type SectionAnchor,
  type SubsectionAnchor,
} from '../template.js';
import { align, sameWord, type Token } from '../text.js';
import type { Line } from './lines.js';

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

export function firstTokenAt(toks: readonly Token[], offset: number): number {
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

export function matchHeading(line: Line, afterOrder: number): HeadingMatch | null {
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

export interface LabelHit {
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
export function matchLabels(line: Line, section: number): LabelHit[] {
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
