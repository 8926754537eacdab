import { it } from 'vitest';
import { startDiariumDb } from '/work/main/test/integration/diarium-support.js';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
it('perf', async () => {
  const db = await startDiariumDb();
  const table = await db.newTable();
  const client = new DynamoDBClient({ endpoint: db.local.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestHandler: new NodeHttpHandler({ httpAgent: { maxSockets: 500 } }) });
  const counts: Record<string, number> = {};
  client.middlewareStack.add((next, ctx) => async (args) => { counts[ctx.commandName ?? ''] = (counts[ctx.commandName ?? ''] ?? 0) + 1; return next(args); }, { step: 'initialize' });
  const repo = db.repo(table, { client: db.doc(client) });
  (globalThis as any).__codes = []; const t = Date.now();
  await Promise.all(Array.from({ length: 200 }, (_, i) => repo.registerHandling({ typ: 'nytt', serie: 'SFG', ar: 2026, arendemening: 'x', insatsId: null, insatsnyckel: null }, { mottagen: '2026-02-02T09:00:00.000Z', ankomstdatum: '2026-02-02', ankomstAndrad: null, kalla: 'epost', kallaReferens: 'x', avsandare: { namn: null, epost: null, kuvertAvsandare: null, organisation: null }, beskrivning: 'x', bedomning: 'komplett', fel: [], varningar: [], filer: [], personnummer: [], sekretess: false, flaggor: [], granskning: 'pagar', makulerad: null, kvittens: null, rapport: null }, `k${i}`)));
  console.log(Date.now() - t, counts); const c: Record<string, number> = {}; for (const x of (globalThis as any).__codes) c[x] = (c[x] ?? 0) + 1; console.log(c);
  await db.stop();
}, 300000);
