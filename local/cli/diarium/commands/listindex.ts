import { DiariumRegelError } from '../../../../domain/diarium/errors.js';
import { defineCommand } from '../command.js';
import { PERIOD_HELP, PERIOD_OPTIONS, period } from './period.js';

export const listindex = defineCommand({
  name: 'listindex',
  usage: 'listindex [--from ÅÅÅÅ-MM-DD] [--to ÅÅÅÅ-MM-DD]',
  summary: 'bygg diarielistans index för handlingar registrerade före det',
  help: `npm run diarium -- listindex [--from ÅÅÅÅ-MM-DD] [--to ÅÅÅÅ-MM-DD]

Skriver listposten (det kansliets diarielista läser) för varje handling i perioden som saknar en:
handlingar registrerade innan listindexet fanns (docs/deploy.md). En befintlig listpost ändras aldrig,
så kommandot kan köras igen utan att något skrivs två gånger.

${PERIOD_HELP}`,
  options: { ...PERIOD_OPTIONS },
  async run({ io, diarium }, v) {
    const { from, to } = period(v, io.clock);
    if (!diarium.listindex) throw new DiariumRegelError('Listindexet kan bara byggas i DynamoDB.');
    const r = await diarium.listindex(from, to);
    io.out(`Listposter skrivna: ${r.skrivna}; fanns redan: ${r.fanns} (ankomstdatum ${from} – ${to}).`);
    return 0;
  },
});
