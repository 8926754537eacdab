/**
 * One deploy step (docs/deploy.md, "the list index"): writes the kansli list's item of every handling registered
 * before the list index existed, in the deployed table, with the deploying role's credentials (the SDK's default
 * chain: profile, SSO, environment). The same function as `npm run diarium -- listindex` on the local stack.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_SERIE } from '../../domain/defaults.js';
import { DynamoDiariumRepository } from '../../functions/adapters/dynamo-diarium/repository.js';
import { byggListindex } from '../../functions/adapters/dynamo-diarium/sok.js';
import { diariumTable } from '../../functions/adapters/dynamo-diarium/table.js';

const HJALP = `npm run listindex:aws -- --tabell <namn> [--region eu-west-1] [--serie SFG] [--from ÅÅÅÅ-MM-DD] [--to ÅÅÅÅ-MM-DD]

Skriver diarielistans listpost för varje handling i perioden som saknar en, i den driftsatta tabellen
(stackens utdata DiariumTableName). Körs en gång efter den driftsättning som skapade indexet gsi4, när
indexet är ACTIVE. En befintlig listpost ändras aldrig, så steget kan köras igen.

Behörighet: den driftsättande rollens, via AWS SDK:ns vanliga kedja (AWS_PROFILE, SSO, miljövariabler);
den behöver dynamodb:Query på tabellens index gsi2, dynamodb:BatchGetItem och dynamodb:PutItem på tabellen.

  --tabell   tabellens namn (krävs)
  --region   AWS-regionen (standard: AWS_REGION, annars eu-west-1)
  --serie    diarieserien (standard: ${DEFAULT_SERIE})
  --from     första ankomstdatum (standard: 2000-01-01)
  --to       sista ankomstdatum (standard: i dag)
  --help     visar den här texten`;

const DATUM = /^\d{4}-\d{2}-\d{2}$/;

export async function runListindex(
  argv: string[],
  io: { out: (s: string) => void; err: (s: string) => void; env: Record<string, string | undefined> },
): Promise<number> {
  let v;
  try {
    v = parseArgs({
      args: argv,
      options: {
        tabell: { type: 'string' },
        region: { type: 'string' },
        serie: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n\n${HJALP}`);
    return 64;
  }
  if (v.help) {
    io.out(HJALP);
    return 0;
  }
  const from = v.from ?? '2000-01-01';
  const to = v.to ?? new Date().toISOString().slice(0, 10);
  if (!v.tabell || !DATUM.test(from) || !DATUM.test(to) || from > to) {
    io.err(`Ange --tabell, och datum som ÅÅÅÅ-MM-DD med --from före --to.\n\n${HJALP}`);
    return 64;
  }
  const serie = v.serie ?? DEFAULT_SERIE;
  const client = new DynamoDBClient({ region: v.region ?? io.env['AWS_REGION'] ?? 'eu-west-1' });
  try {
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const repo = new DynamoDiariumRepository(doc, { tableName: v.tabell, serie });
    const r = await byggListindex(diariumTable(doc, { tableName: v.tabell, serie }), repo, from, to);
    io.out(`Listposter skrivna: ${r.skrivna}; fanns redan: ${r.fanns} (ankomstdatum ${from} – ${to}).`);
    return 0;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) {
      io.err(
        `Tabellen "${v.tabell}" (eller dess index) finns inte i regionen. Kontrollera --tabell och --region.`,
      );
      return 1;
    }
    const name = err instanceof Error ? err.name : '';
    if (/CredentialsProviderError|ExpiredToken|UnrecognizedClient|AccessDenied/.test(name)) {
      io.err(
        `AWS nekade eller saknar inloggning (${name}). Logga in med den driftsättande rollen och försök igen.`,
      );
      return 2;
    }
    throw err;
  } finally {
    client.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runListindex(process.argv.slice(2), {
    out: (s) => console.log(s),
    err: (s) => console.error(s),
    env: process.env,
  });
}
