/**
 * Peer comparison of diarienummer allocation against DynamoDB Local: the repository's transactional scheme
 * (read counter, one TransactWrite of counter + ärende + handling + log + source) against a plain atomic
 * counter (UpdateItem ADD, then a Put). Same concurrency, same injected crash rate between the steps.
 */
import {
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { makeDocumentClient } from '../functions/adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../functions/adapters/dynamo-diarium/repository.js';
import { newHandling } from '../test/support/new-handling.js';
import { parseHandlingNummer } from '../domain/diarium/diarienummer.js';
import { figure, type Figure } from './lib/stats.js';

class SimulatedCrashError extends Error {
  override name = 'SimulatedCrashError';
}

const handling = (i: number) =>
  newHandling(i, {
    mottagen: '2099-03-03T09:15:02.000Z',
    kallaReferens: `s3://bench/raw/${i}`,
    beskrivning: `Slutrapport – Bänkinsats ${i}`,
  });

/** The document client with a crash injected before every `failOn` command, at `rate`. */
function crashing(
  db: DynamoDBDocumentClient,
  failOn: (cmd: unknown) => boolean,
  rate: number,
): DynamoDBDocumentClient {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver) as unknown;
      return (cmd: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        if (failOn(cmd) && Math.random() < rate) return Promise.reject(new SimulatedCrashError('krasch'));
        return target.send(cmd);
      };
    },
  });
}

async function workers(
  n: number,
  width: number,
  one: (i: number) => Promise<number>,
): Promise<{ numbers: number[]; seconds: number; retries: number }> {
  let next = 0;
  let retries = 0;
  const numbers: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        // Like SQS redelivery: a crashed registration is tried again until it succeeds.
        for (;;) {
          try {
            numbers.push(await one(i));
            break;
          } catch (err) {
            if (!(err instanceof SimulatedCrashError)) throw err;
            retries++;
          }
        }
      }
    }),
  );
  return { numbers, seconds: (performance.now() - t0) / 1000, retries };
}

function judge(numbers: number[], counterEnd: number): { duplicates: number; gaps: number } {
  const unique = new Set(numbers);
  let gaps = 0;
  for (let k = 1; k <= counterEnd; k++) if (!unique.has(k)) gaps++;
  return { duplicates: numbers.length - unique.size, gaps };
}

const counterSchema = z.object({ senaste: z.number() });

export async function benchAllocation(
  table: string,
  n: number,
  width: number,
  runs: number,
  crashRate = 0.02,
): Promise<Figure[]> {
  const db = makeDocumentClient();
  const out: Figure[] = [];
  const tx = { rates: [] as number[], dup: 0, gaps: 0, retries: 0 };
  const atom = { rates: [] as number[], dup: 0, gaps: 0, retries: 0 };
  // A fresh year per run and call: counters and source keys never carry over between runs.
  const base = 2100 + Math.floor(Math.random() * 7000);
  for (let r = 0; r < runs; r++) {
    const ar = base + r;
    const repo = new DynamoDiariumRepository(
      crashing(db, (c) => c instanceof TransactWriteCommand, crashRate),
      { tableName: table },
    );
    const t = await workers(n, width, async (i) => {
      const res = await repo.registerHandling(
        { typ: 'nytt', serie: 'TXB', ar, arendemening: `Bänk ${i}`, insatsId: null, insatsnyckel: null },
        handling(i),
        `bench/tx/${ar}/${i}`,
      );
      return parseHandlingNummer(res.handling.diarienummer)?.nummer ?? -1;
    });
    const tj = judge(t.numbers, Math.max(...t.numbers));
    tx.rates.push(n / t.seconds);
    tx.dup += tj.duplicates;
    tx.gaps += tj.gaps;
    tx.retries += t.retries;

    const plain = crashing(db, (c) => c instanceof PutCommand, crashRate);
    const key = { pk: `RAKNARE#ATOM#${ar}`, sk: 'ARENDE' };
    const a = await workers(n, width, async (i) => {
      const u = await plain.send(
        new UpdateCommand({
          TableName: table,
          Key: key,
          UpdateExpression: 'ADD senaste :one',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const nummer = counterSchema.parse(u.Attributes).senaste;
      await plain.send(
        new PutCommand({
          TableName: table,
          Item: { pk: `ARENDE#ATOM ${ar}-${nummer}`, sk: 'H#000001', typ: 'handling', ...handling(i) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return nummer;
    });
    const aj = judge(a.numbers, Math.max(...a.numbers));
    atom.rates.push(n / a.seconds);
    atom.dup += aj.duplicates;
    atom.gaps += aj.gaps;
    atom.retries += a.retries;
  }
  const note = (x: typeof tx) =>
    `${x.dup} duplicates, ${x.gaps} gaps, ${x.retries} injected crashes over ${runs} × ${n}`;
  out.push(
    figure('allocation', `transactional (repository), ${width} concurrent`, 'reg/s', tx.rates, {
      note: note(tx),
    }),
  );
  out.push(
    figure('allocation', `plain atomic counter, ${width} concurrent`, 'reg/s', atom.rates, {
      note: note(atom),
    }),
  );
  return out;
}
