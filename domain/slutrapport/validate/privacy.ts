/** A personnummer anywhere in the report is a warning: the report should describe groups, not persons. */
import type { ParsedSlutrapport } from '../schema.js';
import type { Issues } from './issues.js';

export function checkPrivacy(p: ParsedSlutrapport, { varning }: Issues): void {
  for (const f of p.personnummer) {
    const var_ = f.avsnitt === 'sidhuvud' ? 'rapportens sidhuvud' : `avsnitt ${f.avsnitt}`;
    varning(
      'PERSONNUMMER_HITTAT',
      /^\d\.\d/u.test(f.avsnitt) ? `avsnitt.${f.avsnitt}` : 'dokument',
      `Rapporten innehåller ett personnummer (${f.maskerat}) i ${var_}. Rapporten ska beskriva grupper, inte enskilda personer: ta bort personnumret.`,
    );
  }
}
