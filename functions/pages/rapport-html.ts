import { escapeHtml } from '../../domain/mail/templates.js';
import type { Handling, StoredFile } from '../../domain/diarium/types.js';
import { formatSek, formatTelefonSv, type Finding, type Rapport } from '../../domain/slutrapport/index.js';
import { SECTIONS, SUBSECTIONS } from '../../domain/slutrapport/template.js';
import type { Jamforelse } from '../../domain/granskning/historik.js';

// Bidi controls (LRE…RLO, LRI…PDI, LRM/RLM/ALM) in a sender's text could reorder what the page shows around them;
// they are shown as visible code points instead, so the text reads as it was written.
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Untrusted text as HTML text: escaped, with bidi controls made visible. */
export function t(s: string): string {
  return escapeHtml(s).replace(
    BIDI,
    (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`,
  );
}

/** Each subsection's answer is capped, so that one pasted novel cannot push the page past its size budget. */
const MAX_AVSNITT = 12_000;
const MAX_FALT = 600;

function cap(s: string, max: number): { text: string; avkortad: boolean } {
  return s.length > max ? { text: `${s.slice(0, max)}…`, avkortad: true } : { text: s, avkortad: false };
}

function stycken(s: string): string {
  const { text, avkortad } = cap(s, MAX_AVSNITT);
  // A blank line separates paragraphs; a single line break is where a PDF or a scan wrapped the line.
  const ps = text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean)
    .map((p) => `<p>${t(p)}</p>`)
    .join('');
  return avkortad ? `${ps}<p class="not">Texten är avkortad här; hela texten finns i originalfilen.</p>` : ps;
}

const falt = (v: string | null | undefined): string =>
  v ? t(cap(v, MAX_FALT).text) : '<span class="tom">–</span>';

/** The template section a finding concerns ('1'…'8'), or null when it is about the whole report. */
export function sectionOf(f: Finding): string | null {
  const k = f.falt;
  if (k.startsWith('avsnitt.')) return k.slice('avsnitt.'.length, 'avsnitt.'.length + 1);
  if (/^(insatsnamn|insatstid|beviljadeMedel|utnyttjadeMedel|medel)/.test(k)) return '1';
  if (/^(organisation|arbetsstalle|kontaktpersoner|telefon|epost|postnummer|postadress)/.test(k)) return '2';
  if (k.startsWith('samverkans')) return '3';
  if (k.startsWith('uppgiftslamnare')) return '8';
  const m = /^(\d)(\.|$)/.exec(k);
  return m?.[1] ?? null;
}

/** Formats whose text was read by OCR from an image (a scan or a phone photo). */
const OCR_TYPER = new Set(['pdf-ocr', 'bild-ocr', 'png', 'jpeg', 'tiff', 'gif']);
export function lastMedOcr(fil: StoredFile | undefined): boolean {
  return fil !== undefined && OCR_TYPER.has(fil.typ);
}

function varningar(fs: Finding[]): string {
  if (fs.length === 0) return '';
  return `<div class="varning" role="note"><p><strong>Att notera:</strong></p><ul>${fs
    .map((f) => `<li>${t(f.meddelande)}</li>`)
    .join('')}</ul></div>`;
}

/**
 * The parsed slutrapport as readable Swedish HTML, section by section as in the template (1–8, and in 7 the
 * branch that applies), with each finding placed at the section it concerns. `andrat` marks the subsections
 * that differ from the earlier round.
 */
export function rapportHtml(args: {
  rapport: Rapport;
  handling: Handling;
  ocr: boolean;
  jamforelse: Jamforelse | null;
}): string {
  const r = args.rapport;
  const fynd = [...args.handling.fel, ...args.handling.varningar];
  const per = new Map<string, Finding[]>();
  for (const f of fynd) {
    const s = sectionOf(f) ?? 'allmant';
    per.set(s, [...(per.get(s) ?? []), f]);
  }
  const andrade = new Set(args.jamforelse?.avsnitt ?? []);
  const andradeFalt = new Set((args.jamforelse?.falt ?? []).map((a) => a.avsnitt));
  const ocr = args.ocr ? ' <span class="ocr">läst med OCR</span>' : '';
  const rubrik = (nr: number): string => {
    const s = SECTIONS.find((x) => x.section === nr);
    const andrat = andradeFalt.has(String(nr)) ? ' <span class="andrat">ändrat</span>' : '';
    return `<h3 id="avsnitt-${nr}">${nr}. ${t(s?.title ?? '')}${ocr}${andrat}</h3>${varningar(per.get(String(nr)) ?? [])}`;
  };
  const dl = (rows: [string, string][]): string =>
    `<dl>${rows.map(([k, v]) => `<dt>${t(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
  const sub = (nr: string): string => {
    const s = SUBSECTIONS.find((x) => x.nr === nr);
    const svar = r.avsnitt[nr as keyof Rapport['avsnitt']];
    const andrat = andrade.has(nr) ? ' <span class="andrat">ändrat</span>' : '';
    return `<h4>${t(nr)} ${t(s?.title ?? '')}${andrat}</h4>${svar ? stycken(svar) : '<p class="tom">Inte besvarat.</p>'}`;
  };
  const tid = r.insatstid ? `${r.insatstid.start ?? '?'} – ${r.insatstid.slut ?? '?'}` : null;
  const sek = (n: number | null): string => (n === null ? falt(null) : t(formatSek(n)));

  // Section 7: the branch the amounts call for; an answer given in the other branch is shown too.
  const bev = r.beviljadeMedel;
  const utn = r.utnyttjadeMedel;
  const gren = bev !== null && utn !== null ? (utn < bev ? '7.2' : '7.1') : null;
  const visa71 = gren === '7.1' || r.avsnitt['7.1.1'] !== null || gren === null;
  const visa72 = gren === '7.2' || r.avsnitt['7.2.1'] !== null;
  const sju = [
    gren
      ? `<p>${gren === '7.1' ? 'Beviljade medel är helt utnyttjade (7.1).' : `Beviljade medel är inte helt utnyttjade (7.2): ${t(formatSek((bev ?? 0) - (utn ?? 0)))} återstår.`}</p>`
      : '<p class="tom">Beloppen saknas, så grenen 7.1/7.2 kan inte avgöras.</p>',
    visa71 ? sub('7.1.1') : '',
    visa72 ? sub('7.2.1') : '',
  ].join('');

  return `<section aria-labelledby="rapport-rubrik" class="rapport">
<h2 id="rapport-rubrik">Slutrapporten</h2>
${args.ocr ? '<p class="ocr-not">Rapporten är läst med OCR (textigenkänning) från en skannad bild. Kontrollera belopp och namn mot originalet.</p>' : ''}
${varningar(per.get('allmant') ?? [])}
${rubrik(1)}${dl([
    ['Insatsens namn', falt(r.insatsnamn)],
    ['Insatstid', falt(tid)],
    ['Beviljade medel', sek(bev)],
    ['Utnyttjade medel', sek(utn)],
  ])}
${rubrik(2)}${dl([
    ['Organisation', falt(r.organisation)],
    ['Arbetsställe', falt(r.arbetsstalle)],
    ['Kontaktperson', falt(r.kontaktpersoner.join(', '))],
    ['Telefon', falt(r.telefon.map(formatTelefonSv).join(', '))],
    ['E-post', falt(r.epost.join(', '))],
    ['Postadress', falt([r.postnummer, r.postadress].filter(Boolean).join(' '))],
  ])}
${rubrik(3)}${r.samverkansparter.length ? `<ul>${r.samverkansparter.map((s) => `<li>${falt(s)}</li>`).join('')}</ul>` : '<p class="tom">Inga samverkansparter angivna.</p>'}
${rubrik(4)}${sub('4.1')}${sub('4.2')}
${rubrik(5)}${sub('5.1')}${sub('5.2')}${sub('5.3')}${sub('5.4')}
${rubrik(6)}${sub('6.1')}${sub('6.2')}${sub('6.3')}${sub('6.4')}${sub('6.5')}
${rubrik(7)}${sju}
${rubrik(8)}${dl([
    ['Datum', falt(r.uppgiftslamnare?.datum)],
    ['Namn', falt(r.uppgiftslamnare?.namn)],
  ])}
</section>`;
}
