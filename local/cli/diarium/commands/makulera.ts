import { makuleraHandling } from '../../../../domain/diarium/kansli.js';
import { defineCommand } from '../command.js';

export const makulera = defineCommand({
  name: 'makulera',
  usage: 'makulera <diarienummer> --skal "…" --av "…"',
  summary: 'makulera en handling (numret behålls)',
  help: `npm run diarium -- makulera <diarienummer> --skal "…" --av "…"

Makulerar en handling, t.ex. en som kommit till fel mottagare. Numret behålls och handlingen finns kvar
i diariet och postlistan, markerad som makulerad; skälet och vem som makulerade förs in i ärendets logg.

  --skal TEXT   skälet till makuleringen (krävs)
  --av NAMN     vem som makulerar (krävs)`,
  options: { skal: { type: 'string' }, av: { type: 'string' } },
  async run({ io, diarium: { repo }, arg, need }, v) {
    const dnr = need(arg, 'Diarienummer');
    const h = await makuleraHandling({ repo, clock: io.clock }, dnr, {
      skal: need(v.skal, '--skal'),
      av: need(v.av, '--av'),
    });
    io.out(
      `${h.diarienummer} är makulerad av ${h.makulerad?.av ?? ''}: ${h.makulerad?.skal ?? ''}.\nNumret behålls och handlingen finns kvar i diariet och postlistan, markerad som makulerad.`,
    );
    return 0;
  },
});
