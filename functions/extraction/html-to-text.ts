/**
 * Markup (HTML from mail or mammoth, ODF XML) to plain text in reading order. Paragraphs become
 * lines; a table row whose cells are single lines becomes `| a | b |` (the flattened form the
 * report parser knows), other rows give each cell's lines in order.
 *
 * Tokenizing and entity decoding are htmlparser2's (html-to-text would bring selderee and dom-serializer
 * and formats tables its own way); the layout below stays ours because the report parser reads that
 * table form.
 */
import { Parser } from 'htmlparser2';

/** Stands for a space that must survive whitespace collapsing (ODF <text:s/>); replaced at the end. */
const KEPT_SPACE = '\uE000';

type Role = 'block' | 'br' | 'table' | 'tr' | 'cell' | 'skip' | 'tab' | 'space' | 'inline';

const HTML_ROLES: Record<string, Role> = {
  p: 'block',
  div: 'block',
  h1: 'block',
  h2: 'block',
  h3: 'block',
  h4: 'block',
  h5: 'block',
  h6: 'block',
  li: 'block',
  ul: 'block',
  ol: 'block',
  blockquote: 'block',
  pre: 'block',
  section: 'block',
  article: 'block',
  header: 'block',
  footer: 'block',
  hr: 'block',
  dt: 'block',
  dd: 'block',
  br: 'br',
  table: 'table',
  tr: 'tr',
  td: 'cell',
  th: 'cell',
  script: 'skip',
  style: 'skip',
  head: 'skip',
  title: 'skip',
  noscript: 'skip',
  template: 'skip',
};

const ODF_ROLES: Record<string, Role> = {
  'text:p': 'block',
  'text:h': 'block',
  'text:list-item': 'block',
  'text:line-break': 'br',
  'text:tab': 'tab',
  'text:s': 'space',
  'table:table': 'table',
  'table:table-row': 'tr',
  'table:table-cell': 'cell',
  'table:covered-table-cell': 'skip',
  'office:annotation': 'skip',
  'text:note': 'skip',
  'text:tracked-changes': 'skip',
  'office:font-face-decls': 'skip',
  'office:automatic-styles': 'skip',
  'office:forms': 'skip',
};

interface Context {
  lines: string[];
  para: string;
}
interface TableState {
  rows: string[][][];
  row: string[][] | null;
}

/** Ends the current paragraph; an empty paragraph that is closed explicitly becomes one blank line. */
function flush(ctx: Context, blankIfEmpty = false): void {
  const line = ctx.para.replace(/[ \t\u00a0]+/g, (m) => (m.includes('\t') ? '\t' : ' ')).trim();
  if (line) ctx.lines.push(line);
  else if (blankIfEmpty && ctx.lines.length > 0 && ctx.lines[ctx.lines.length - 1] !== '') ctx.lines.push('');
  ctx.para = '';
}

function trimBlank(lines: string[]): string[] {
  let s = 0;
  let e = lines.length;
  while (s < e && lines[s] === '') s++;
  while (e > s && lines[e - 1] === '') e--;
  return lines.slice(s, e);
}

function rowLines(row: string[][]): string[] {
  const cells = row.map(trimBlank);
  if (cells.every((c) => c.length === 0)) return [];
  if (cells.length === 1) return cells[0]!;
  if (cells.every((c) => c.length <= 1)) return [`| ${cells.map((c) => c[0] ?? '').join(' | ')} |`];
  return cells.flatMap((c) => (c.length > 0 ? [...c, ''] : []));
}

function markupToText(markup: string, roles: Record<string, Role>, xmlMode: boolean): string {
  const root: Context = { lines: [], para: '' };
  const ctxStack: Context[] = [root];
  const tables: TableState[] = [];
  let skipDepth = 0;
  let skipTag = '';
  const ctx = (): Context => ctxStack[ctxStack.length - 1]!;

  /** One tag as written in the source: implied opens and closes (HTML's error recovery) are not seen here. */
  const tag = (
    name: string,
    closing: boolean,
    selfClosing: boolean,
    attribs: Record<string, string>,
  ): void => {
    const role = roles[name] ?? 'inline';
    if (skipDepth > 0) {
      if (name === skipTag) skipDepth += closing ? -1 : selfClosing ? 0 : 1;
      return;
    }
    switch (role) {
      case 'skip':
        if (!closing && !selfClosing) {
          skipDepth = 1;
          skipTag = name;
        }
        break;
      case 'block':
        flush(ctx(), closing || selfClosing);
        break;
      case 'br':
        flush(ctx(), true);
        break;
      case 'tab':
        ctx().para += '\t';
        break;
      case 'space': {
        const c = /^\d+$/.exec(attribs['text:c'] ?? '');
        ctx().para += KEPT_SPACE.repeat(Math.min(100, Number(c?.[0] ?? '1')));
        break;
      }
      case 'table':
        if (!closing) {
          flush(ctx());
          if (!selfClosing) tables.push({ rows: [], row: null });
        } else {
          const t = tables.pop();
          if (t) {
            if (t.row) t.rows.push(t.row);
            for (const r of t.rows) ctx().lines.push(...rowLines(r));
          }
        }
        break;
      case 'tr': {
        const t = tables[tables.length - 1];
        if (!t) break;
        if (!closing) {
          if (t.row) t.rows.push(t.row);
          t.row = selfClosing ? null : [];
        } else if (t.row) {
          t.rows.push(t.row);
          t.row = null;
        }
        break;
      }
      case 'cell': {
        const t = tables[tables.length - 1];
        if (!t) break;
        if (!closing) {
          t.row ??= [];
          if (selfClosing) t.row.push([]);
          else ctxStack.push({ lines: [], para: '' });
        } else if (ctxStack.length > 1) {
          const c = ctxStack.pop()!;
          flush(c);
          (t.row ??= []).push(c.lines);
        }
        break;
      }
      case 'inline':
        break;
    }
  };

  const parser = new Parser(
    {
      onopentag(name, attribs, isImplied) {
        // `</br>` and a stray `</p>` arrive as an implied open plus an explicit close: the close counts.
        if (isImplied) return;
        tag(name, false, markup.charCodeAt(parser.endIndex - 1) === 0x2f /* "/>" */, attribs);
      },
      onclosetag(name, isImplied) {
        // A self-closing tag's close is implied, and so are those HTML adds on its own (void elements, `<p>` closed
        // by the next `<p>`): the written form decides, as it did for the layout the parser expects.
        if (!isImplied) tag(name, true, false, {});
      },
      ontext(s) {
        if (skipDepth === 0 && s) ctx().para += s.replace(/\s+/g, ' ');
      },
    },
    { xmlMode, decodeEntities: true, recognizeSelfClosing: true, recognizeCDATA: true },
  );
  parser.end(markup);
  while (ctxStack.length > 1) {
    const c = ctxStack.pop()!;
    flush(c);
    ctx().lines.push(...c.lines);
  }
  flush(root);
  return trimBlank(root.lines)
    .join('\n')
    .replace(/\uE000/g, ' ')
    .replace(/\n{3,}/g, '\n\n');
}

export function htmlToText(html: string): string {
  return markupToText(html, HTML_ROLES, false);
}

export function odfToText(xml: string): string {
  // In ODF, whitespace in text collapses like HTML's; runs of spaces are written as <text:s c="n"/>.
  const body = /<office:body[\s>][\s\S]*<\/office:body>/.exec(xml)?.[0] ?? xml;
  return markupToText(body, ODF_ROLES, true);
}
