/** Rules on when the report came in, compared with the insatstid. */
import type { ParsedSlutrapport } from '../schema.js';
import type { Issues } from './issues.js';

/** A report dated more than this many months after the insatstid ended gets a warning. */
export const SEN_RAPPORT_MANADER = 3;

function addMonths(isoDate: string, months: number): string {
  const y = Number(isoDate.slice(0, 4));
  const m = Number(isoDate.slice(5, 7));
  const d = Number(isoDate.slice(8, 10));
  const date = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(d, last));
  return date.toISOString().slice(0, 10);
}

export function checkTiming(p: ParsedSlutrapport, idag: string, { varning }: Issues): void {
  const r = p.rapport;
  const u = r.uppgiftslamnare;
  const slut = r.insatstid?.slut ?? null;
  if (slut !== null) {
    const rapportdatum = u?.datum ?? idag;
    if (rapportdatum > addMonths(slut, SEN_RAPPORT_MANADER)) {
      varning(
        'RAPPORT_SEN',
        u?.datum ? 'uppgiftslamnare.datum' : 'insatstid',
        u?.datum
          ? `Rapporten är daterad ${rapportdatum}, mer än ${SEN_RAPPORT_MANADER} månader efter att insatstiden slutade ${slut}.`
          : `Rapporten kom in ${rapportdatum}, mer än ${SEN_RAPPORT_MANADER} månader efter att insatstiden slutade ${slut}.`,
      );
    }
    if (idag < slut) {
      varning(
        'INSATSTID_EJ_AVSLUTAD',
        'insatstid',
        `Insatstiden slutar ${slut}, efter att rapporten kom in ${idag}. Kontrollera att det är en slutrapport.`,
      );
    }
  }
}
