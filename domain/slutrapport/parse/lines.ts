/**
 * Turning raw text into lines: Unicode and space clean-up, quote markers, table pipes and rules, page marks,
 * columns, and marking the template's fixed text, the kansli's contact block and links as noise.
 */
import { fold, plainSpaces, tokens, type Token } from '../text.js';

export class Line {
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
export const TERMINATOR =
  /^((med )?(vanliga|vanlig|basta|hjartliga) halsningar|mvh\b|halsningar\b|--\s*$|skickat fran min|-{3,}\s*(ursprungligt|original|forwarded)|(fran|from|skickat|sent):\s)/u;

export function splitLines(text: string): Line[] {
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

/** The line from `from` on, as a line of one column. */
export function sliceLine(line: Line, from: number): Line {
  const text = line.text.slice(from).trim();
  return new Line(line.offset, text, text === '' ? [] : [text]);
}

/** A value string as a line of one column, for reading it like a row of the document. */
export function lineOf(text: string): Line {
  return new Line(0, text, [text]);
}
