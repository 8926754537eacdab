/**
 * Tolerant reading of the slutrapport template from any text layer (docx text, PDF text with two-column
 * rows and page footers, tables flattened to text, OCR with damaged diacritics, a report pasted into an
 * e-mail body). One pass over the lines (parse/walk.ts): headings and labels are recognised by tolerant
 * word alignment (parse/headings.ts), everything else is content of the current field or subsection; the
 * values are then read out of that content (parse/values.ts). Nothing here judges the report; that is
 * validate.ts.
 */
import { findDiarienummer, formatArende, formatHandling } from '../diarium/diarienummer.js';
import {
  findPhoneSpans,
  parseAmountSek,
  parseDateRange,
  parseDateSv,
  parseEmails,
  parsePhoneNumbers,
  parsePostnummer,
} from './normalisers.js';
import { likeness } from './parse/recognise.js';
import { cleanName, collectValues, splitNames, splitOrganisation, type Values } from './parse/values.js';
import { answerOf, walk, type Walk } from './parse/walk.js';
import { findPersonnummer, maskPersonnummer } from './personnummer.js';
import { DEFAULT_SERIE } from '../defaults.js';
import type { ParsedSlutrapport, PersonnummerFynd, Rapport, RawFields } from './schema.js';
import { AVSNITT_KEYS, type FieldKey } from './template.js';

export { looksLikeSlutrapport } from './parse/recognise.js';

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
