import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDiariumRepository } from '../../functions/adapters/dynamo-diarium/repository.js';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  createTable,
  spawnDynamoDbLocal,
  watchStartFailure,
  tableDefinitionFromTemplate,
} from './dynamodb-local.js';
import { seedDemoInsatser } from './demo-insatser.js';
import type { Defer } from './lifecycle.js';
import { waitFor, type Reservation } from './ports.js';
import type { Template } from './synth.js';

export const TABLE = 'rapportflode-diarium';

export interface LocalDynamoDb {
  endpoint: string;
  table: string;
  /** DynamoDB Local's Java process (the benchmarks read its CPU time). */
  pid: number | null;
}

/** DynamoDB Local (the real one, on disk, one shared database) with the table the stateful stack declares. */
export async function startDynamoDb(opts: {
  reservation: Reservation;
  dataDir: string;
  statefulTemplate: Template;
  demoRegister: boolean;
  defer: Defer;
}): Promise<LocalDynamoDb> {
  const { port } = opts.reservation;
  const dir = path.join(opts.dataDir, 'dynamodb');
  mkdirSync(dir, { recursive: true });
  await opts.reservation.release();
  const proc = spawnDynamoDbLocal({ port, dir });
  const failed = watchStartFailure(proc);
  // If this process ends without stop() (a killed test run), the Java child must not outlive it.
  const kill = () => proc.kill('SIGKILL');
  process.once('exit', kill);
  opts.defer(() => {
    process.removeListener('exit', kill);
  });
  proc.stdout?.on('data', () => undefined);
  opts.defer(
    () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.pid === undefined) {
          resolve();
          return;
        }
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  );

  const endpoint = `http://127.0.0.1:${port}`;
  const ddb = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  opts.defer(() => ddb.destroy());
  await waitFor(() => ddb.send(new ListTablesCommand({})), 'DynamoDB Local', 60_000, failed);
  // The table as the stateful stack declares it (keys, indexes, TTL).
  await createTable(ddb, TABLE, tableDefinitionFromTemplate(opts.statefulTemplate));
  if (opts.demoRegister) {
    const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
    await seedDemoInsatser(new DynamoDiariumRepository(doc, { tableName: TABLE }));
  }
  return { endpoint, table: TABLE, pid: proc.pid ?? null };
}
