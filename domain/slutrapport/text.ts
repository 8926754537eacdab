/**
 * Text helpers for tolerant matching: folding that keeps string positions, word tokens with offsets and a
 * small edit distance. Everything here keeps `fold(s).length === s.length` so that a match found in folded
 * text can be cut out of the original text at the same offsets.
 */

const FOLD_CHARS: Record<string, string> = {
  å: 'a',
  ä: 'a',
  à: 'a',
  á: 'a',
  â: 'a',
  ã: 'a',
  æ: 'a',
  ö: 'o',
  ø: 'o',
  ó: 'o',
  ò: 'o',
  ô: 'o',
  õ: 'o',
  é: 'e',
  è: 'e',
  ê: 'e',
  ë: 'e',
  ü: 'u',
  ú: 'u',
  ù: 'u',
  û: 'u',
  í: 'i',
  ì: 'i',
  ï: 'i',
  î: 'i',
  ç: 'c',
  ñ: 'n',
  '\u00a0': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\t': ' ',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
};

const LETTER = /\p{L}/u;

/**
 * Lower-cases, removes diacritics and repairs the usual OCR damage of å/ä/ö (`&` or `6` inside a word),
 * one UTF-16 unit for one unit, so offsets stay valid.
 */
export function fold(s: string): string {
  const lower = s.toLowerCase();
  // toLowerCase keeps the length for everything but a few letters (İ); fall back to unit by unit then.
  const base = lower.length === s.length ? lower : s.split('').map(lowerUnit).join('');
  return base.replace(SPECIAL, (ch, i: number, str: string) => {
    if (ch === '&' || ch === '6') {
      const prev = str.charAt(i - 1);
      const next = str.charAt(i + 1);
      // "Allm&nna", "f6r": a damaged vowel inside a word. "Arbetsliv & Försörjning" is left alone.
      if (LETTER.test(prev) && LETTER.test(next)) return ch === '&' ? 'a' : 'o';
      if (ch === '&' && prev !== ' ' && next !== ' ' && (LETTER.test(prev) || LETTER.test(next))) return 'a';
      return ch;
    }
    return FOLD_CHARS[ch] ?? ch;
  });
}

const SPECIAL = /[^\x20-\x7e]|[&6]/gu;

function lowerUnit(ch: string): string {
  const l = ch.toLowerCase();
  return l.length === 1 ? l : ch;
}

/** Replaces the space characters Word and PDFs use (NBSP, thin, figure space) by a plain space. */
export function plainSpaces(s: string): string {
  return s.replace(/[\u00a0\u2007\u2009\u200a\u202f\t]/gu, ' ');
}

export interface Token {
  /** Folded word. */
  w: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Words (letters and digits) of a folded string with their offsets. */
export function tokens(folded: string, from = 0): Token[] {
  const out: Token[] = [];
  WORD.lastIndex = from;
  for (let m = WORD.exec(folded); m; m = WORD.exec(folded)) {
    out.push({ w: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Levenshtein distance, giving up (returning max + 1) as soon as it must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Whether two folded words are the same word, allowing OCR damage in longer words. */
export function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const len = Math.min(a.length, b.length);
  if (len < 4) return false;
  return editDistance(a, b, len >= 10 ? 2 : 1) <= (len >= 10 ? 2 : 1);
}

export interface Alignment {
  /** Template words matched. */
  matched: number;
  /** Index in `content` of the first word after the aligned part. */
  next: number;
  /** Whether the template was used up. */
  complete: boolean;
}

/**
 * Greedy alignment of a template word sequence (a label, a question) against the start of a content word
 * sequence, tolerating one dropped, one extra or one damaged word at a time.
 */
export function align(template: readonly string[], content: readonly Token[], from = 0): Alignment {
  let i = 0;
  let j = from;
  let matched = 0;
  let next = from;
  while (i < template.length && j < content.length) {
    const t = template[i]!;
    const c = content[j]!.w;
    if (sameWord(t, c)) {
      i++;
      j++;
      matched++;
      next = j;
      continue;
    }
    const t1 = template[i + 1];
    const c1 = content[j + 1]?.w;
    if (t1 !== undefined && sameWord(t1, c)) {
      i += 2;
      j += 1;
      matched++;
      next = j;
    } else if (c1 !== undefined && sameWord(t, c1)) {
      i += 1;
      j += 2;
      matched++;
      next = j;
    } else if (t1 !== undefined && c1 !== undefined && sameWord(t1, c1) && i > 0) {
      i += 2;
      j += 2;
      matched++;
      next = j;
    } else {
      break;
    }
  }
  return { matched, next, complete: i >= template.length };
}

/** Folded words of a template text (label, question). */
export function words(s: string): string[] {
  return tokens(fold(s)).map((t) => t.w);
}
