/**
 * The kansli's filtered diarium list with 10 000 handlingar in the table: time at the handler (a Query per
 * month of the list index, filtering, sorting, paging, rendering), target ≤ 300 ms. DynamoDB Local as the
 * local stack runs it; the items are the size of registered handlingar with their parsed report, each with
 * its list item as the registration writes it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoGranskningRepository } from '../functions/adapters/dynamo-granskning-repository.js';
import { DynamoSessionStore } from '../functions/adapters/dynamo-kansli-sessions.js';
import { DynamoDiariumRepository } from '../functions/adapters/dynamo-diarium/repository.js';
import { DynamoDiariumSok, listradItem, manader } from '../functions/adapters/dynamo-diarium/sok.js';
import { GSI3_ATTRIBUT } from '../infra/stacks/stateful-stack.js';
import { handlingSchema } from '../functions/adapters/dynamo-diarium/schemas.js';
import { diariumTable, parseItem, queryAll } from '../functions/adapters/dynamo-diarium/table.js';
import { makeHandler } from '../functions/kansli/make-handler.js';
import { createTable, startDynamoDbLocal, synthesizeTableDefinition } from '../local/aws/dynamodb-local.js';
import { figure, summarize, type Figure } from './lib/stats.js';

const ORG = [
  'Exempelby kommun',
  'Provstad kommun',
  'Region Testland',
  'Försäkringskassan',
  'Arbetsförmedlingen',
];
const GRANSKNING = ['pagar', 'godkand', 'komplettering-begard', 'vantar-pa-kansliet', 'ej-aktuell'] as const;
// Most mail is a slutrapport; some kompletteringar and other mail, and the oldest without a klassning at all.
const KLASS = ['slutrapport', 'slutrapport', 'komplettering', 'allman-handling', null] as const;

export function item(i: number): Record<string, unknown> {
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
    ...(KLASS[i % KLASS.length]
      ? { klassning: { klass: KLASS[i % KLASS.length], orsak: 'Bänk', av: 'system' } }
      : {}),
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

// The bench's items carry a sketch of a report, not a whole one: read only what the list row is built from.
const listKalla = handlingSchema.pick({
  diarienummer: true,
  arende: true,
  handlingsnummer: true,
  mottagen: true,
  ankomstdatum: true,
  avsandare: true,
  beskrivning: true,
  bedomning: true,
  granskning: true,
  sekretess: true,
  flaggor: true,
  makulerad: true,
  klassning: true,
});

export async function benchKansli(runs: number, antal = 10_000): Promise<Figure[]> {
  const local = await startDynamoDbLocal();
  try {
    const table = `bench-kansli-${randomBytes(3).toString('hex')}`;
    await createTable(local.client, table, synthesizeTableDefinition());
    const db = DynamoDBDocumentClient.from(local.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const batches: Record<string, unknown>[][] = [];
    const t = diariumTable(db, { tableName: table });
    // Each handling with its list item, as the registration writes them (insats: one of a hundred).
    const par = (i: number) => {
      const h = item(i);
      const rad = listradItem(t, parseItem(listKalla, h), `insats-${i % 100}`).Put!.Item!;
      return [h, rad];
    };
    for (let i = 0; i < antal; i += 12)
      batches.push(Array.from({ length: Math.min(12, antal - i) }, (_, k) => par(i + k)).flat());
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
      sok: new DynamoDiariumSok(t),
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
      insatser: {
        register: repo.insatser,
        repo,
        bevakning: {
          getBevakning: () => Promise.resolve({ steg: [], datum: null }),
          setDatum: () => Promise.resolve(),
        },
        rapportDagar: 60,
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
      'fritext, hela året': 'q=exempelby&fran=2026-01-01&till=2026-12-31',
      'klass, hela året': 'klass=komplettering&fran=2026-01-01&till=2026-12-31',
      'status + fritext, hela året': 'q=exempelby&status=pagar&fran=2026-01-01&till=2026-12-31',
      'hela året sorterat på avsändare': 'fran=2026-01-01&till=2026-12-31&sortera=avsandare&ordning=stigande',
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
      const { p95 } = summarize(samples);
      out.push(
        figure('kansli', `diarielista ${antal} handlingar: ${namn}`, 'ms', samples, {
          target: { op: '<=', value: 300 },
          note: `p95 ${p95.toFixed(0)} ms; handler time; Query per month of gsi4 (list items), no Scan; DynamoDB Local`,
        }),
      );
    }
    // The read alone, the list items (gsi4) against the index the list read before (gsi3, the handling items
    // with the list's attributes), alternating in one run: the machine's load hits both alike.
    const sok = new DynamoDiariumSok(t);
    const gsi3 = async () => {
      // As the list read it before: a Query per month, all at once.
      await Promise.all(
        manader('2026-01-01', '2026-12-31').map(([fran, till]) =>
          queryAll(t, {
            TableName: table,
            IndexName: 'gsi3',
            KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
            ProjectionExpression: GSI3_ATTRIBUT.join(', '),
            ExpressionAttributeValues: { ':pk': 'DIARIUM#SFG#2026', ':from': fran, ':to': `${till}#~` },
          }),
        ),
      );
    };
    const gsi4 = async () => {
      const rader = await sok.listRader('2026-01-01', '2026-12-31');
      if (rader.length !== antal) throw new Error(`listan gav ${rader.length} rader`);
    };
    const las: Record<string, number[]> = { gsi4: [], gsi3: [] };
    for (let r = 0; r < runs + 1; r++) {
      for (const [namn, fn] of [
        ['gsi4', gsi4],
        ['gsi3', gsi3],
      ] as const) {
        const t0 = performance.now();
        await fn();
        if (r > 0) las[namn]!.push(performance.now() - t0);
      }
    }
    for (const [namn, samples] of Object.entries(las))
      out.push(
        figure(
          'kansli',
          `läsning av hela året, ${antal} handlingar: ${namn === 'gsi4' ? 'listposter (gsi4)' : 'före: handlingarna via gsi3'}`,
          'ms',
          samples,
          {
            note: `p95 ${summarize(samples).p95.toFixed(0)} ms; the read alone, alternating with the other index`,
          },
        ),
      );
    return out;
  } finally {
    await local.stop();
  }
}
