/**
 * The kansli's filtered diarium list with 10 000 handlingar in the table: time at the handler (Query of the
 * date index with a projection, filtering, paging, rendering), target ≤ 300 ms. DynamoDB Local as the local
 * stack runs it; the items are the size of registered handlingar with their parsed report.
 */
import { createHash, randomBytes } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoGranskningRepository } from '../functions/adapters/dynamo-granskning-repository.js';
import { DynamoSessionStore } from '../functions/adapters/dynamo-kansli-sessions.js';
import { DynamoDiariumRepository } from '../functions/adapters/dynamo-diarium/repository.js';
import { DynamoDiariumSok } from '../functions/adapters/dynamo-diarium/sok.js';
import { diariumTable } from '../functions/adapters/dynamo-diarium/table.js';
import { makeHandler } from '../functions/kansli/make-handler.js';
import { createTable, startDynamoDbLocal, synthesizeTableDefinition } from '../local/aws/dynamodb-local.js';
import { figure, type Figure } from './lib/stats.js';

const ORG = [
  'Exempelby kommun',
  'Provstad kommun',
  'Region Testland',
  'Försäkringskassan',
  'Arbetsförmedlingen',
];
const GRANSKNING = ['pagar', 'godkand', 'komplettering-begard', 'vantar-pa-kansliet', 'ej-aktuell'] as const;

function item(i: number): Record<string, unknown> {
  const arende = `SFG 26-${i + 1}`;
  const dnr = `${arende}.1`;
  const day = new Date(Date.UTC(2026, 0, 1) + (i % 330) * 86_400_000);
  const mottagen = new Date(day.getTime() + 9 * 3600_000 + (i % 3600) * 1000).toISOString();
  const ankomstdatum = mottagen.slice(0, 10);
  const org = ORG[i % ORG.length]!;
  return {
    pk: `ARENDE#${arende}`,
    sk: 'H#000001',
    typ: 'handling',
    gsi2pk: 'DIARIUM#SFG#2026',
    gsi2sk: `${ankomstdatum}#${mottagen}#${dnr}`,
    diarienummer: dnr,
    arende,
    handlingsnummer: 1,
    mottagen,
    ankomstdatum,
    ankomstAndrad: null,
    kalla: 'epost',
    kallaReferens: `bench-${i}`,
    avsandare: {
      namn: `Provperson ${i}`,
      epost: `person${i}@exempel.example`,
      kuvertAvsandare: null,
      organisation: org,
    },
    beskrivning: `Slutrapport – Insats nummer ${i} – ${org}`,
    bedomning: 'komplett',
    fel: [],
    varningar: [],
    filer: [
      {
        filnamn: 'rapport.pdf',
        sha256: 'a'.repeat(64),
        storlek: 123_456,
        typ: 'application/pdf',
        nyckel: `handlingar/${i}/rapport.pdf`,
        rapport: true,
      },
    ],
    personnummer: [],
    sekretess: i % 50 === 0,
    flaggor: [],
    granskning: GRANSKNING[i % GRANSKNING.length],
    makulerad: null,
    kvittens: null,
    registrerad: mottagen,
    rapport: {
      typ: 'slutrapport',
      slutrapport: {
        insatsnamn: `Insats nummer ${i}`,
        organisation: org,
        avsnitt: Object.fromEntries(
          Array.from({ length: 8 }, (_, k) => [
            `${k + 1}.1`,
            'Målgruppen har fått stöd i samverkan. '.repeat(10),
          ]),
        ),
      },
    },
  };
}

export async function benchKansli(runs: number, antal = 10_000): Promise<Figure[]> {
  const local = await startDynamoDbLocal();
  try {
    const table = `bench-kansli-${randomBytes(3).toString('hex')}`;
    await createTable(local.client, table, synthesizeTableDefinition());
    const db = DynamoDBDocumentClient.from(local.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < antal; i += 25)
      batches.push(Array.from({ length: Math.min(25, antal - i) }, (_, k) => item(i + k)));
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < batches.length) {
          let pending = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
          while (pending.length) {
            const r = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
            pending = (r.UnprocessedItems?.[table] ?? []) as typeof pending;
          }
        }
      }),
    );
    const sessions = new DynamoSessionStore(db, table);
    const id = randomBytes(32).toString('base64url');
    await sessions.putSession(createHash('sha256').update(id).digest('hex'), {
      person: { sub: 'bench', namn: 'Bänk Registrator', epost: null, roller: ['registrator'] },
      csrf: randomBytes(32).toString('base64url'),
      skapad: new Date().toISOString(),
      utgar: new Date(Date.now() + 3600_000).toISOString(),
    });
    const repo = new DynamoDiariumRepository(db, { tableName: table });
    const handler = makeHandler({
      repo,
      sok: new DynamoDiariumSok(diariumTable(db, { tableName: table })),
      sessions,
      granskningar: new DynamoGranskningRepository(db, table),
      links: { presignedGetUrl: () => Promise.resolve('https://s3.example/x') },
      events: { handlingDiarieford: () => Promise.resolve(), granskningBegard: () => Promise.resolve() },
      lasning: { begarLasning: () => Promise.resolve() },
      oidc: {
        authorizationUrl: () => Promise.reject(new Error('ingen inloggning i bänken')),
        exchange: () => Promise.reject(new Error('–')),
      },
      registrering: {
        registry: repo,
        insatser: repo,
        documents: { file: () => Promise.reject(new Error('ingen uppladdning i bänken')) },
        serie: 'SFG',
      },
      config: { baseUrl: 'http://127.0.0.1:3000/kansli', sessionSeconds: 3600 },
      clock: () => new Date(),
      log: () => undefined,
    });
    const event = (q: string) => ({
      rawPath: '/kansli/diarium',
      rawQueryString: q,
      cookies: [`kansli=${id}`],
      headers: {},
      requestContext: { http: { method: 'GET' }, domainName: '127.0.0.1:3000' },
    });
    const fall = {
      'status + fritext, hela året': 'q=exempelby&status=pagar&fran=2026-01-01&till=2026-12-31',
      'datumintervall en månad': 'fran=2026-03-01&till=2026-03-31',
    };
    const out: Figure[] = [];
    for (const [namn, q] of Object.entries(fall)) {
      const samples: number[] = [];
      for (let r = 0; r < runs + 1; r++) {
        const t0 = performance.now();
        const res = (await handler(event(q), {} as never)) as { statusCode?: number; body?: string };
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) throw new Error(`kansli svarade ${res.statusCode}`);
        if (r > 0) samples.push(ms); // the first call warms the connection and the JIT
      }
      out.push(
        figure('kansli', `diarielista ${antal} handlingar: ${namn}`, 'ms', samples, {
          target: { op: '<=', value: 300 },
          note: 'handler time; Query per month of gsi3 (gsi2 keys, list attributes), no Scan; DynamoDB Local',
        }),
      );
    }
    return out;
  } finally {
    await local.stop();
  }
}
