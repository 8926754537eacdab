import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { runBevakning, sattBevakningsdatum } from '../../../../domain/bevakning/run-bevakning.js';
import type { BevakningStore } from '../../../../domain/bevakning/ports.js';
import {
  DEFAULT_BEVAKNING,
  type BevakningResultat,
  type BevakningStatus,
} from '../../../../domain/bevakning/types.js';
import type { MailSender } from '../../../../domain/diarium/ports.js';
import { DiariumRegelError } from '../../../../domain/diarium/errors.js';
import { DEFAULT_KANSLI_EMAIL } from '../../../../domain/defaults.js';
import { DynamoBevakningStore } from '../../../../functions/adapters/dynamo-bevakning-store.js';
import { SesMailSender } from '../../../../functions/adapters/ses-mail-sender.js';
import { loadStageConfig } from '../../../../infra/config/stages.js';
import { defineCommand } from '../command.js';
import { table } from '../format.js';
import { CLI_DEFAULTS, type CliIo } from '../io.js';

const SES_DEFAULT = 'http://127.0.0.1:8005';

const STATUS_SV: Record<BevakningStatus, string> = {
  kommande: 'kommande',
  snart: 'snart',
  forsenad: 'FÖRSENAD',
  stangd: 'inkommen',
  'saknar-datum': 'datum saknas',
};

/** Tests give the store and the mailer; otherwise they are built from the flags, as the diarium is. */
export const bevakningOverrides: { store?: BevakningStore; mailer?: MailSender } = {};

function storeFrom(
  io: CliIo,
  v: { endpoint?: string | undefined; table?: string | undefined },
): BevakningStore {
  if (bevakningOverrides.store) return bevakningOverrides.store;
  const client = new DynamoDBClient({
    endpoint: v.endpoint ?? io.env['AWS_ENDPOINT_URL_DYNAMODB'] ?? CLI_DEFAULTS.endpoint,
    region: CLI_DEFAULTS.region,
    credentials: CLI_DEFAULTS.credentials,
    maxAttempts: 2,
  });
  return new DynamoBevakningStore(
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    v.table ?? io.env['TABLE_NAME'] ?? CLI_DEFAULTS.table,
  );
}

function mailerFrom(io: CliIo, ses: string | undefined): MailSender {
  if (bevakningOverrides.mailer) return bevakningOverrides.mailer;
  const client = new SESv2Client({
    endpoint: ses ?? io.env['AWS_ENDPOINT_URL_SESV2'] ?? SES_DEFAULT,
    region: CLI_DEFAULTS.region,
    credentials: CLI_DEFAULTS.credentials,
    maxAttempts: 2,
  });
  return new SesMailSender(client, {
    from: io.env['MAIL_FROM'] ?? 'Rapportflöde <noreply@finsamgavleborg.se>',
    replyTo: io.env['MAIL_REPLY_TO'] ?? DEFAULT_KANSLI_EMAIL,
  });
}

export function bevakningText(r: BevakningResultat): string {
  const lines = [`Bevakning ${r.datum}`, ''];
  lines.push(
    table([
      ['Insats', 'Insatsägare', 'Ärende', 'Sista dag', 'Status', 'Skickat nu'],
      ...r.rapporter.map((b) => [
        b.insatsnamn,
        b.organisation,
        b.arende ?? '–',
        `${b.forfallodatum ?? '–'}${b.andrat ? ' (ändrat)' : ''}`,
        b.status === 'stangd' ? `inkommen (${b.stangdAv ?? ''})` : STATUS_SV[b.status],
        b.skickat.join(', ') || '–',
      ]),
    ]),
  );
  lines.push('', 'Begärda kompletteringar:');
  if (r.kompletteringar.length === 0) lines.push('  (inga)');
  for (const k of r.kompletteringar) {
    lines.push(
      `  ${k.arende}: begärd ${k.begard} (${k.handling}), ${k.dagar} dagar${k.status === 'obesvarad' ? ' – OBESVARAD' : ''}${k.skickat.length > 0 ? ', påminnelse skickad nu' : ''}`,
    );
  }
  lines.push(
    '',
    r.kansliListaSkickad ? 'Dagens lista skickades till kansliet.' : 'Ingen ny lista till kansliet.',
  );
  return lines.join('\n');
}

export const bevakning = defineCommand({
  name: 'bevakning',
  usage: 'bevakning [--satt <insats> --datum ÅÅÅÅ-MM-DD | --ta-bort <insats>]',
  summary: 'kör bevakningen nu och visa vad som är på väg, försenat eller obesvarat',
  help: `npm run diarium -- bevakning [flaggor]

Kör dagens bevakning nu (samma som det dagliga schemat): påminnelser till insatsägarna före och efter
sista dag för slutrapporten, påminnelse om kompletteringar utan svar och dagens lista till kansliet.
Varje påminnelse skickas högst en gång, hur många gånger bevakningen än körs. Visar sedan alla bevakningar.

  --satt INSATS      sätt en egen sista dag för insatsen (med --datum)
  --datum DATUM      sista dag, ÅÅÅÅ-MM-DD
  --ta-bort INSATS   ta bort insatsens egna sista dag (registrets datum gäller igen)
  --av NAMN          vem som ändrar (standard USER)
  --ses URL          SES för utskicken (standard ${SES_DEFAULT} eller AWS_ENDPOINT_URL_SESV2)
  --kansli EPOST     kansliets adress för listan (standard KANSLI_EMAIL)

Sista dag = insatstidens slut + ${DEFAULT_BEVAKNING.rapportDagar} dagar om inget annat är satt (docs/bevakning.md).`,
  options: {
    satt: { type: 'string' },
    datum: { type: 'string' },
    'ta-bort': { type: 'string' },
    av: { type: 'string' },
    ses: { type: 'string' },
    kansli: { type: 'string' },
  },
  async run({ io, diarium: { repo } }, v) {
    const store = storeFrom(io, v);
    const av = v.av ?? io.env['USER'] ?? 'kansliet';
    if (v.satt !== undefined || v['ta-bort'] !== undefined) {
      const insats = v.satt ?? v['ta-bort'] ?? '';
      if (v.satt !== undefined && !v.datum)
        throw new DiariumRegelError('Ange --datum ÅÅÅÅ-MM-DD tillsammans med --satt.');
      await sattBevakningsdatum({ repo, store }, insats, v.satt !== undefined ? (v.datum ?? null) : null, av);
      io.out(
        v.satt !== undefined
          ? `Sista dag för ${insats} är nu ${v.datum ?? ''}.`
          : `Egen sista dag för ${insats} borttagen.`,
      );
    }
    const r = await runBevakning(
      {
        repo,
        store,
        mailer: mailerFrom(io, v.ses),
        log: (level, m) => (level === 'info' ? undefined : io.err(m)),
        config: {
          // The periods the running stack's bevakning uses: the local stage's, as `npm start` passes them.
          ...loadStageConfig('lokal').bevakning,
          kansliEmail: v.kansli ?? io.env['KANSLI_EMAIL'] ?? DEFAULT_KANSLI_EMAIL,
        },
      },
      io.clock(),
    );
    io.out(bevakningText(r));
    return 0;
  },
});
