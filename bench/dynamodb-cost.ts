/**
 * What one DynamoDB call costs on this machine: CPU of DynamoDB Local's JVM and of this Node process (the
 * SDK's serialisation, signing and HTTP) per GetItem, conditional PutItem and TransactWriteItems of seven
 * puts (the shape of a registration), with items the size of a registered handling. The burst's CPU per
 * report follows from these and the number of calls a report makes.
 */
import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../functions/adapters/dynamo-client.js';
import type { LocalStack } from '../local/aws/stack.js';
import { ownCpuMs, processCpuMs } from './lib/cpu.js';
import { figure, type Figure } from './lib/stats.js';

/** About 4 KB, as a registered handling with its parsed report. */
function handlingItem(pk: string, sk: string): Record<string, unknown> {
  return {
    pk,
    sk,
    typ: 'handling',
    gsi2pk: 'DIARIUM#BENCH#2099',
    gsi2sk: `2099-03-03#${pk}`,
    beskrivning: 'Slutrapport – Bänkinsats – Exempelby kommun',
    filer: Array.from({ length: 2 }, (_, i) => ({
      filnamn: `fil${i}.pdf`,
      sha256: 'a'.repeat(64),
      storlek: 1,
    })),
    rapport: {
      text: 'Målgruppen har fått stöd i samverkan. '.repeat(60),
      avsnitt: Array.from({ length: 8 }, (_, i) => ({
        nr: i + 1,
        rubrik: `Avsnitt ${i + 1}`,
        text: 'x'.repeat(80),
      })),
    },
  };
}

async function measure(
  pid: number | null,
  n: number,
  width: number,
  op: (i: number) => Promise<unknown>,
): Promise<{ jvm: number; node: number }> {
  let next = 0;
  const j0 = processCpuMs(pid);
  const n0 = ownCpuMs();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await op(next++);
    }),
  );
  return { jvm: (processCpuMs(pid) - j0) / n, node: (ownCpuMs() - n0) / n };
}

export async function benchDynamoCost(stack: LocalStack, n: number, runs: number): Promise<Figure[]> {
  const db = makeDocumentClient();
  const table = stack.table;
  const run = randomBytes(4).toString('hex');
  const ops: Record<string, (i: number) => Promise<unknown>> = {
    'GetItem (consistent)': (i) =>
      db.send(
        new GetCommand({
          TableName: table,
          Key: { pk: `BENCH#${run}#get`, sk: `H#${i % 50}` },
          ConsistentRead: true,
        }),
      ),
    'PutItem (conditional)': (i) =>
      db.send(
        new PutCommand({
          TableName: table,
          Item: handlingItem(`BENCH#${run}#put#${i}#${Math.random()}`, 'H#1'),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    'TransactWriteItems, 7 puts': (i) => {
      const pk = `BENCH#${run}#tx#${i}#${Math.random()}`;
      return db.send(
        new TransactWriteCommand({
          TransactItems: Array.from({ length: 7 }, (_, k) => ({
            Put: {
              TableName: table,
              Item:
                k === 2
                  ? handlingItem(pk, `H#${k}`)
                  : { pk, sk: `L#${k}`, typ: 'logg', data: 'y'.repeat(300) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        }),
      );
    },
  };
  for (let i = 0; i < 50; i++)
    await db.send(new PutCommand({ TableName: table, Item: handlingItem(`BENCH#${run}#get`, `H#${i}`) }));
  const out: Figure[] = [];
  for (const [name, op] of Object.entries(ops)) {
    await measure(stack.dynamodbPid, Math.ceil(n / 3), 8, op); // warm-up: the JIT, the connections
    const got: { jvm: number; node: number }[] = [];
    for (let r = 0; r < runs; r++) got.push(await measure(stack.dynamodbPid, n, 8, op));
    out.push(
      figure(
        'dynamodb call',
        `${name}: DynamoDB Local`,
        'ms CPU',
        got.map((g) => g.jvm),
        {
          note: 'JVM, /proc utime+stime',
        },
      ),
      figure(
        'dynamodb call',
        `${name}: Node (SDK)`,
        'ms CPU',
        got.map((g) => g.node),
        {
          note: 'serialise, sign, HTTP, parse',
        },
      ),
    );
  }
  return out;
}
