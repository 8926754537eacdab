/**
 * The walk over the lines in template order: each heading or label opens a bucket and the lines after it
 * are its content, until the next one. The buckets are read into values and answers afterwards.
 */
import { FIELDS, type FieldKey, type SubsectionAnchor } from '../template.js';
import { align, fold, tokens } from '../text.js';
import { firstTokenAt, matchHeading, matchLabels, type LabelHit } from './headings.js';
import { sliceLine, splitLines, TERMINATOR, type Line } from './lines.js';

export interface FieldBucket {
  kind: 'fields';
  section: number;
  fields: FieldKey[];
  inline: string[];
  lines: Line[];
}

export interface SubBucket {
  kind: 'sub';
  anchor: SubsectionAnchor;
  first: string;
  lines: Line[];
}

export interface SectionBucket {
  kind: 'section';
  section: number;
  lines: Line[];
}

export type Bucket = FieldBucket | SubBucket | SectionBucket;

export interface Walk {
  buckets: Bucket[];
  header: Line[];
  sections: Set<number>;
  subsections: Set<string>;
  /** Zone (for locating personnummer) by line index. */
  zones: string[];
  lines: Line[];
}

const INSATSTID_HINT = /^[\s:–—-]*[a-zåäö&6?]{3,4}\s*-\s*mm\s*-\s*dd\b[\s:]*/iu;

export function walk(text: string): Walk {
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

function labelBucket(line: Line, labels: LabelHit[], section: number): FieldBucket {
  const inline = labels.map((l, i) => {
    const end = labels[i + 1]?.labelStart ?? line.text.length;
    let v = line.text.slice(l.labelEnd, end);
    if (l.field === 'insatstid') v = v.replace(INSATSTID_HINT, '');
    return v.replace(/^[\s:;.,)–—-]+/u, '').trim();
  });
  return { kind: 'fields', section, fields: labels.map((l) => l.field), inline, lines: [] };
}

/** The answer under a subsection heading, with the heading and the template's question text removed. */
export function answerOf(b: SubBucket): string | null {
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
