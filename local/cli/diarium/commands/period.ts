import { ankomstdatum } from '../../../../domain/diarium/ankomstdatum.js';
import { DiariumRegelError } from '../../../../domain/diarium/errors.js';

const dateRe = /^\d{4}-\d{2}-\d{2}$/;

export const PERIOD_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
} as const;

export const PERIOD_HELP = `  --from ÅÅÅÅ-MM-DD  första ankomstdatum (standard: hela diariet)
  --to ÅÅÅÅ-MM-DD    sista ankomstdatum (standard: i dag)`;

/** The ankomstdatum interval of list and export: from the start of the diarium to today unless given. */
export function period(
  values: { from?: string | undefined; to?: string | undefined },
  clock: () => Date,
): { from: string; to: string } {
  const from = values.from ?? '2000-01-01';
  const to = values.to ?? ankomstdatum(clock().toISOString());
  if (!dateRe.test(from) || !dateRe.test(to)) throw new DiariumRegelError('Ange datum som ÅÅÅÅ-MM-DD.');
  if (from > to) throw new DiariumRegelError(`Från-datum ${from} ligger efter till-datum ${to}.`);
  return { from, to };
}
