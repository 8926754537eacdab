import { DiariumRegelError } from '../../../../domain/diarium/errors.js';
import { frigeHandling } from '../../../../domain/diarium/kansli.js';
import { defineCommand } from '../command.js';
import { CLI_DEFAULTS, cliEvents, isConnectionError } from '../io.js';

export const frige = defineCommand({
  name: 'frige',
  // "slapp" reads as "slack" without its dots (docs/architecture.md, Naming); scripts may still use it.
  aliases: ['slapp'],
  usage: 'frige <diarienummer> --av "…"',
  summary: 'frige en flaggad handling (spam/DMARC) till granskning',
  help: `npm run diarium -- frige <diarienummer> --av "…"

Friger en handling som hölls kvar (misstänkt spam eller misslyckad DMARC-kontroll) och begär granskning
av den. Att frige en redan frigiven handling skickar begäran om granskning igen.

  --av NAMN          vem som friger (krävs)
  --eventbridge URL  EventBridge (standard: den lokala stackens, ur .data/stack.json; annars
                     AWS_ENDPOINT_URL_EVENTBRIDGE eller ${CLI_DEFAULTS.eventbridge})

Slutkod 2 om handlingen är frigiven i diariet men begäran om granskning inte kunde skickas: kör samma
kommando igen när den lokala stacken körs.`,
  options: { av: { type: 'string' }, eventbridge: { type: 'string' } },
  async run({ io, diarium: { repo }, arg, need }, v) {
    const dnr = need(arg, 'Diarienummer');
    const av = need(v.av, '--av');
    try {
      const r = await frigeHandling({ repo, clock: io.clock, events: cliEvents(io, v) }, dnr, { av });
      io.out(
        r.redanFrigiven
          ? `${dnr} var redan frigiven; begäran om granskning har skickats igen.`
          : `${dnr} är frigiven av ${av} och skickad till granskning.`,
      );
      return 0;
    } catch (err) {
      if (isConnectionError(err) && !(err instanceof DiariumRegelError)) {
        const h = await repo.getHandling(dnr);
        if (h?.granskning === 'pagar') {
          io.err(
            `${dnr} är frigiven i diariet, men begäran om granskning kunde inte skickas (EventBridge svarar inte). Kör samma kommando igen när den lokala stacken körs.`,
          );
          return 2;
        }
      }
      throw err;
    }
  },
});
