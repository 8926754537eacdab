import { SQSClient } from '@aws-sdk/client-sqs';
import { DiariumRegelError } from '../../../../domain/diarium/errors.js';
import { begarInlasning, type LasningKo } from '../../../../domain/ingest/las-in.js';
import { SqsLasningKo } from '../../../../functions/adapters/sqs-lasning-ko.js';
import { ingestQueueUrl } from '../../../aws/instance.js';
import { runningStack } from '../../stack.js';
import { defineCommand } from '../command.js';
import { CLI_DEFAULTS, isConnectionError, type CliIo } from '../io.js';

/** The ingest queue of the local stack (or the one given), where a reading is asked for. */
function cliKo(io: CliIo, flag: string | undefined): { ko: LasningKo; url: string } {
  const stack = runningStack(io.env);
  const url =
    flag ??
    io.env['INGEST_QUEUE_URL'] ??
    ingestQueueUrl(io.env['AWS_ENDPOINT_URL_SQS'] ?? stack?.aws ?? CLI_DEFAULTS.eventbridge);
  if (io.ko) return { ko: io.ko, url };
  const sqs = new SQSClient({
    endpoint: new URL(url).origin,
    region: stack?.region ?? CLI_DEFAULTS.region,
    credentials: CLI_DEFAULTS.credentials,
    maxAttempts: 2,
  });
  return { ko: new SqsLasningKo(sqs, url), url };
}

export const lasIn = defineCommand({
  name: 'las-in',
  aliases: ['lasin'],
  usage: 'las-in <diarienummer> --av "…"',
  summary: 'läs in en pappersrapport registrerad för hand och starta granskningen',
  help: `npm run diarium -- las-in <diarienummer> --av "…"

Läser in en slutrapport som registrerats för hand från papper (bedömning "läses", flaggan "Läs in och
starta granskning manuellt"): ingesten läser den skannade filen (text ur PDF, annars OCR) och bedömer
rapporten som en uppladdad. Är den komplett och utan personnummer startar granskningen; saknas delar
visas de på handlingen och ingen granskning startar; personnummer håller den för sekretessprövning.
Avsändare, beskrivning och klass som registrerades står kvar. Avsändaren får kvittens bara om en
e-postadress registrerades. Begäran skrivs i ärendets logg; inläsningen sker i bakgrunden.

  --av NAMN   vem som begär inläsningen (krävs)
  --ko URL    ingestens kö (standard: den lokala stackens, ur .data/stack.json; annars INGEST_QUEUE_URL)

Slutkod 2 om begäran skrevs i loggen men inte kunde skickas till ingesten: kör samma kommando igen när den
lokala stacken körs.`,
  options: { av: { type: 'string' }, ko: { type: 'string' } },
  async run({ io, diarium: { repo }, arg, need }, v) {
    const dnr = need(arg, 'Diarienummer');
    const av = need(v.av, '--av');
    const { ko, url } = cliKo(io, v.ko);
    try {
      await begarInlasning({ repo, ko, clock: io.clock }, dnr, { av });
    } catch (err) {
      if (isConnectionError(err) && !(err instanceof DiariumRegelError)) {
        io.err(
          `Begäran om inläsning av ${dnr} är skriven i loggen, men ingesten kunde inte nås (${url}). Kör samma kommando igen när den lokala stacken körs.`,
        );
        return 2;
      }
      throw err;
    }
    io.out(
      `Inläsning av ${dnr} är begärd av ${av}. Ingesten läser skanningen i bakgrunden (OCR kan ta några minuter); visa resultatet med npm run diarium -- visa ${dnr}.`,
    );
    return 0;
  },
});
