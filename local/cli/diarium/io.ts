import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import type { Diarium, DocumentReader, EventPublisher } from '../../../domain/diarium/ports.js';
import type { DocumentFiler } from '../../../domain/document-archive.js';
import type { LasningKo } from '../../../domain/ingest/las-in.js';
import { DynamoDiariumRepository } from '../../../functions/adapters/dynamo-diarium/repository.js';
import { byggListindex } from '../../../functions/adapters/dynamo-diarium/sok.js';
import { diariumTable } from '../../../functions/adapters/dynamo-diarium/table.js';
import { AppEventPublisher, eventBridgeSink } from '../../../functions/adapters/eventbridge-publisher.js';
import { S3DocumentStore } from '../../../functions/adapters/s3-document-store.js';
import { notRunning, runningStack } from '../stack.js';

export const CLI_DEFAULTS = {
  endpoint: 'http://127.0.0.1:8000',
  table: 'rapportflode-diarium',
  eventbridge: 'http://127.0.0.1:4010',
  s3: 'http://127.0.0.1:4569',
  bucket: 'rapportflode-inbound',
  bus: 'rapportflode-lokal',
  region: 'eu-west-1',
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
};

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  clock: () => Date;
  /** Overrides for tests: an existing repository and event publisher instead of clients from the flags. */
  repo?: Diarium;
  events?: EventPublisher;
  /** The inbound bucket's files, instead of an S3 client from the flags. */
  store?: DocumentReader;
  /** Where `registrera` files a scan, instead of an S3 client from the flags. */
  filer?: DocumentFiler;
  /** Where `las-in` asks for a reading, instead of an SQS client for the ingest queue. */
  ko?: LasningKo;
  cwd?: string;
}

/** The inbound bucket on the local stack (or the endpoint and bucket given). */
export function cliStore(
  io: Pick<CliIo, 'env' | 'store'>,
  flags: { s3?: string | undefined; bucket?: string | undefined },
): DocumentReader {
  if (io.store) return io.store;
  const stack = runningStack(io.env);
  const s3 = new S3Client({
    endpoint: flags.s3 ?? io.env['AWS_ENDPOINT_URL_S3'] ?? stack?.s3 ?? CLI_DEFAULTS.s3,
    region: io.env['AWS_REGION'] ?? stack?.region ?? CLI_DEFAULTS.region,
    credentials: CLI_DEFAULTS.credentials,
    forcePathStyle: true,
  });
  return new S3DocumentStore(
    s3,
    flags.bucket ?? io.env['INBOUND_BUCKET'] ?? stack?.bucket ?? CLI_DEFAULTS.bucket,
  );
}

/** The local stack's event bus (or the endpoint given), where a request for review is sent. */
export function cliEvents(
  io: Pick<CliIo, 'env' | 'events'>,
  flags: { eventbridge?: string | undefined },
): EventPublisher {
  if (io.events) return io.events;
  const stack = runningStack(io.env);
  return new AppEventPublisher(
    eventBridgeSink(
      new EventBridgeClient({
        endpoint:
          flags.eventbridge ??
          io.env['AWS_ENDPOINT_URL_EVENTBRIDGE'] ??
          stack?.aws ??
          CLI_DEFAULTS.eventbridge,
        region: stack?.region ?? CLI_DEFAULTS.region,
        credentials: CLI_DEFAULTS.credentials,
        maxAttempts: 2,
      }),
      io.env['EVENT_BUS_NAME'] ?? stack?.eventBus ?? CLI_DEFAULTS.bus,
    ),
  );
}

export interface CliDiarium {
  repo: Diarium;
  /** Writes the missing list items of the kansli's diarium list (DynamoDB only; absent on an injected repo). */
  listindex?: (fran: string, till: string) => Promise<{ skrivna: number; fanns: number }>;
  /** The Swedish message for an error meaning the local stack or its table is not there; null otherwise. */
  explain(err: unknown): string | null;
  close(): void;
}

/** The diarium a kansli tool works on: the injected one (tests), or DynamoDB at --endpoint/--table. */
export function openCliDiarium(
  io: Pick<CliIo, 'env' | 'clock' | 'repo'>,
  flags: { endpoint?: string | undefined; table?: string | undefined },
  opts: { serie: string; requestTimeout?: number },
): CliDiarium {
  // Flag, environment, the running stack's .data/stack.json, the default ports: in that order.
  const stack = io.repo ? null : runningStack(io.env);
  const endpoint =
    flags.endpoint ?? io.env['AWS_ENDPOINT_URL_DYNAMODB'] ?? stack?.dynamodb ?? CLI_DEFAULTS.endpoint;
  const tableName = flags.table ?? io.env['TABLE_NAME'] ?? stack?.table ?? CLI_DEFAULTS.table;
  const client = io.repo
    ? null
    : new DynamoDBClient({
        endpoint,
        region: stack?.region ?? CLI_DEFAULTS.region,
        credentials: CLI_DEFAULTS.credentials,
        maxAttempts: 2,
        requestHandler: {
          connectionTimeout: 2000,
          ...(opts.requestTimeout ? { requestTimeout: opts.requestTimeout } : {}),
        },
      });
  const doc = client
    ? DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } })
    : null;
  const repo =
    io.repo ?? new DynamoDiariumRepository(doc!, { tableName, clock: io.clock, serie: opts.serie });
  return {
    repo,
    ...(doc
      ? {
          listindex: (fran: string, till: string) =>
            byggListindex(diariumTable(doc, { tableName, serie: opts.serie }), repo, fran, till),
        }
      : {}),
    explain(err) {
      if (err instanceof ResourceNotFoundException)
        return `Tabellen "${tableName}" finns inte på ${endpoint}. Har den lokala stacken startats (npm start)? Ange annars --table.`;
      if (isConnectionError(err)) return notRunning('DynamoDB', endpoint, '--endpoint');
      return null;
    },
    close: () => client?.destroy(),
  };
}

export function isConnectionError(err: unknown): boolean {
  const seen = new Set<unknown>();
  const walk = (e: unknown): boolean => {
    if (!e || typeof e !== 'object' || seen.has(e)) return false;
    seen.add(e);
    const o = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (
      typeof o.code === 'string' &&
      ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT'].includes(o.code)
    )
      return true;
    if (o.name === 'TimeoutError') return true;
    if (typeof o.message === 'string' && /ECONNREFUSED|socket hang up/.test(o.message)) return true;
    return walk(o.cause) || (Array.isArray(o.errors) && o.errors.some(walk));
  };
  return walk(err);
}
