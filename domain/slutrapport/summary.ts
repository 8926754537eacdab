/**
 * The readable Swedish summary of a read report: what the CLI prints without --json, and the list of what
 * is missing that the komplettering mail reuses.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { formatSek } from './normalisers.js';
import type { Finding, SlutrapportResult } from './schema.js';
import { OBLIGATORISKA_AVSNITT } from './template.js';

const STATUS_TEXT: Record<SlutrapportResult['status'], string> = {
  komplett: 'komplett',
  ofullstandig: 'ofullständig – komplettering behövs',
  olasbar: 'oläslig – ingen text kunde läsas',
};

/** `+46703185239` → `070-318 52 39`, as Swedes write it. */
export function formatTelefonSv(e164: string): string {
  return parsePhoneNumberFromString(e164, 'SE')?.formatNational() ?? e164;
}

/** "- meddelande" lines, one a finding: the list for the komplettering mail. */
export function formatFindingsSv(findings: readonly Finding[]): string {
  return findings.map((f) => `- ${f.meddelande}`).join('\n');
}

export function formatSummarySv(result: SlutrapportResult): string {
  const out: string[] = [`Slutrapport: ${STATUS_TEXT[result.status]}`];
  const r = result.rapport;
  if (r) {
    const row = (label: string, value: string | null | undefined): void => {
      out.push(`${label}: ${value === null || value === undefined || value === '' ? '(saknas)' : value}`);
    };
    if (r.diarienummer !== null) row('Diarienummer', r.diarienummer);
    row('Insats', r.insatsnamn);
    row(
      'Insatstid',
      r.insatstid === null ? null : `${r.insatstid.start ?? '?'} – ${r.insatstid.slut ?? '?'}`,
    );
    row('Beviljade medel', r.beviljadeMedel === null ? null : formatSek(r.beviljadeMedel));
    const andel =
      r.beviljadeMedel !== null && r.utnyttjadeMedel !== null && r.beviljadeMedel > 0
        ? ` (${Math.round((r.utnyttjadeMedel / r.beviljadeMedel) * 100)} %)`
        : '';
    row('Utnyttjade medel', r.utnyttjadeMedel === null ? null : `${formatSek(r.utnyttjadeMedel)}${andel}`);
    row('Organisation', r.organisation);
    if (r.arbetsstalle !== null) row('Arbetsställe', r.arbetsstalle);
    row('Kontaktperson', r.kontaktpersoner.join(', '));
    row('Telefon', r.telefon.map(formatTelefonSv).join(', '));
    row('E-post', r.epost.join(', '));
    row('Postadress', [r.postnummer, r.postadress].filter((v) => v !== null).join(' '));
    row('Samverkansparter', r.samverkansparter.join('; '));
    const besvarade = OBLIGATORISKA_AVSNITT.filter((k) => r.avsnitt[k] !== null).length;
    out.push(`Besvarade avsnitt 4.1–6.5: ${besvarade} av ${OBLIGATORISKA_AVSNITT.length}`);
    row(
      'Uppgiftslämnare',
      r.uppgiftslamnare === null
        ? null
        : [r.uppgiftslamnare.datum, r.uppgiftslamnare.namn].filter((v) => v !== null).join(' '),
    );
  }
  if (result.fel.length > 0) {
    out.push('', 'Det här saknas eller behöver rättas:', formatFindingsSv(result.fel));
  }
  if (result.varningar.length > 0) {
    out.push('', 'Att observera vid granskningen:', formatFindingsSv(result.varningar));
  }
  if (result.personnummer.length > 0) {
    out.push(
      '',
      `Personnummer i rapporten: ${result.personnummer.map((p) => `${p.maskerat} (${p.avsnitt})`).join(', ')}`,
    );
  }
  return out.join('\n');
}
