/**
 * Rules for the answers of sections 4–6 and for section 8, Uppgiftslämnare. The answers of section 7 depend
 * on the amounts and are checked with them, in section-1.ts.
 */
import { OBLIGATORISKA_AVSNITT, SUBSECTIONS } from '../template.js';
import type { ParsedSlutrapport } from '../schema.js';
import { DATUMFORMAT, type Issues } from './issues.js';

const AVSNITT_RUBRIK: Record<string, string> = Object.fromEntries(
  SUBSECTIONS.map((s) => [s.nr, `Avsnitt ${s.nr} ${s.title}`]),
);

export function checkAnswers(p: ParsedSlutrapport, { fel }: Issues): void {
  const r = p.rapport;
  for (const key of OBLIGATORISKA_AVSNITT) {
    if (r.avsnitt[key] !== null) continue;
    const rubrik = AVSNITT_RUBRIK[key]!;
    if (p.hittat.avsnitt.includes(key)) {
      fel('AVSNITT_OBESVARAT', `avsnitt.${key}`, `${rubrik} är inte besvarat. Skriv ert svar under frågan.`);
    } else {
      fel(
        'AVSNITT_SAKNAS',
        `avsnitt.${key}`,
        `${rubrik} saknas i rapporten. Använd förbundets mall och besvara frågan under ${key}.`,
      );
    }
  }
}

export function checkUppgiftslamnare(p: ParsedSlutrapport, idag: string, { fel, varning }: Issues): void {
  const r = p.rapport;
  const raw = p.raw;
  const u = r.uppgiftslamnare;
  if (u === null) {
    fel(
      'UPPGIFTSLAMNARE_SAKNAS',
      'uppgiftslamnare',
      'Avsnitt 8 Uppgiftslämnare saknas: ange datum och namn.',
    );
  } else {
    if (u.datum === null) {
      if (raw.uppgiftslamnareDatum === null) {
        fel(
          'UPPGIFTSLAMNARE_DATUM_SAKNAS',
          'uppgiftslamnare.datum',
          `Avsnitt 8 Uppgiftslämnare: datum saknas. Ange datum som ${DATUMFORMAT}.`,
        );
      } else {
        fel(
          'UPPGIFTSLAMNARE_DATUM_OGILTIGT',
          'uppgiftslamnare.datum',
          `Avsnitt 8 Uppgiftslämnare: datumet "${raw.uppgiftslamnareDatum}" kan inte tolkas. Ange datum som ${DATUMFORMAT}.`,
        );
      }
    } else {
      const start = r.insatstid?.start ?? null;
      if (start !== null && u.datum < start) {
        fel(
          'UPPGIFTSLAMNARE_DATUM_FORE_INSATSTID',
          'uppgiftslamnare.datum',
          `Avsnitt 8 Uppgiftslämnare: datumet ${u.datum} ligger före insatstidens start ${start}. Kontrollera datumet.`,
        );
      }
      if (u.datum > idag) {
        varning(
          'UPPGIFTSLAMNARE_DATUM_FRAMTID',
          'uppgiftslamnare.datum',
          `Avsnitt 8 Uppgiftslämnare: datumet ${u.datum} ligger efter att rapporten kom in (${idag}).`,
        );
      }
    }
    if (u.namn === null) {
      fel(
        'UPPGIFTSLAMNARE_NAMN_SAKNAS',
        'uppgiftslamnare.namn',
        'Avsnitt 8 Uppgiftslämnare: namn saknas. Ange namnet på den som lämnar rapporten.',
      );
    }
  }
}
