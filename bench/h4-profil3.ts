import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDiariumSok, listradItem, manader } from '../functions/adapters/dynamo-diarium/sok.js';
import { diariumTable, parseItem } from '../functions/adapters/dynamo-diarium/table.js';
import { handlingSchema } from '../functions/adapters/dynamo-diarium/schemas.js';
import { createTable, startDynamoDbLocal, synthesizeTableDefinition } from '../local/aws/dynamodb-local.js';
import { item } from './kansli.js';
import { sok } from '../domain/kansli/sok.js';

const local = await startDynamoDbLocal();
const table = `p-${randomBytes(3).toString('hex')}`;
await createTable(local.client, table, synthesizeTableDefinition());
const db = DynamoDBDocumentClient.from(local.client, { marshallOptions: { removeUndefinedValues: true } });
const t = diariumTable(db, { tableName: table });
const pick = handlingSchema.pick({ diarienummer: true, arende: true, handlingsnummer: true, mottagen: true, ankomstdatum: true, avsandare: true, beskrivning: true, bedomning: true, granskning: true, sekretess: true, flaggor: true, makulerad: true, klassning: true });
const all = Array.from({ length: 10000 }, (_, i) => listradItem(t, parseItem(pick, item(i)), 'x').Put!.Item!);
let next = 0;
await Promise.all(Array.from({ length: 8 }, async () => {
  while (next < all.length) {
    const b = all.slice(next, next + 25); next += 25;
    let pending = b.map((Item) => ({ PutRequest: { Item } }));
    while (pending.length) {
      const r = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (r.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  }
}));
const time = async (name: string, fn: () => Promise<unknown>, n = 8) => {
  const s: number[] = [];
  for (let i = 0; i < n + 1; i++) { const t0 = performance.now(); await fn(); if (i) s.push(performance.now() - t0); }
  s.sort((a, b) => a - b);
  console.log(name.padEnd(50), s.map((x) => x.toFixed(0)).join(' '), 'median', s[Math.floor(s.length / 2)]!.toFixed(0));
};
async function raw(proj: string, parallel: boolean, pageLimit?: number) {
  let pages = 0;
  const run = async ([f, tl]: [string, string]) => {
    let key: Record<string, never> | undefined; const items: unknown[] = [];
    do {
      const r = await local.client.send(new QueryCommand({ TableName: table, IndexName: 'gsi4',
        KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk BETWEEN :from AND :to', ProjectionExpression: proj,
        ExpressionAttributeValues: { ':pk': { S: `LISTA#SFG#${f.slice(0, 7)}` }, ':from': { S: f }, ':to': { S: `${tl}#~` } },
        ExclusiveStartKey: key, ...(pageLimit ? { Limit: pageLimit } : {}) }));
      pages++; for (const i of r.Items ?? []) items.push(i); key = r.LastEvaluatedKey as never;
    } while (key);
    return items;
  };
  const m = manader('2026-01-01', '2026-12-31');
  if (parallel) await Promise.all(m.map(run)); else for (const x of m) await run(x);
  return pages;
}
console.log('pages', await raw('rad', true));
await time('raw rad parallel', () => raw('rad', true));
await time('raw rad sequential', () => raw('rad', false));
await time('raw keys only parallel', () => raw('gsi4sk', true));
const s = new DynamoDiariumSok(t);
await time('listRader year', () => s.listRader('2026-01-01', '2026-12-31'));
const rader = await s.listRader('2026-01-01', '2026-12-31');
await time('JSON.parse only x10000', async () => { for (const r of rader) JSON.parse(JSON.stringify(r)); });
await time('sok fritext', async () => sok(rader, { fritext: 'exempelby', status: null, fran: '2026-01-01', till: '2026-12-31', sida: 1 }, () => true));
await time('sok sort avsandare', async () => sok(rader, { fritext: '', status: null, fran: '2026-01-01', till: '2026-12-31', sida: 1, sortering: { kolumn: 'avsandare', riktning: 'stigande' } }, () => true));
await local.stop();
process.exit(0);
