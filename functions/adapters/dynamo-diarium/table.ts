import {
  GetCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type * as z from 'zod';
import type { AuditEntry, Handling } from '../../../domain/diarium/types.js';
import { keys, splitHandlingsnummer } from '../dynamo-keys.js';
import { arendeItemSchema, handlingSchema } from './schemas.js';
import { DEFAULT_SERIE } from '../../../domain/defaults.js';

/** What every part of the diarium adapter shares: the table, the diarium series and the clock. */
export interface DiariumTable {
  db: DynamoDBDocumentClient;
  table: string;
  /** The diarium series the date index is read for (the deployment's DIARIUM_SERIE). */
  serie: string;
  now: () => string;
}

export interface DynamoDiariumOptions {
  tableName: string;
  clock?: () => Date;
  /** The diarium series the date index is read for (the deployment's DIARIUM_SERIE). */
  serie?: string;
}

export function diariumTable(db: DynamoDBDocumentClient, opts: DynamoDiariumOptions): DiariumTable {
  const clock = opts.clock ?? (() => new Date());
  return { db, table: opts.tableName, serie: opts.serie ?? DEFAULT_SERIE, now: () => clock().toISOString() };
}

export type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

const KEY_ATTRS = new Set([
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'ttl',
  'typ',
  'logSeq',
  'logHash',
  'kvittensClaim',
]);

export function strip(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRS.has(k)) out[k] = v;
  return out;
}

export function parseItem<T>(schema: z.ZodType<T>, item: Record<string, unknown>): T {
  return schema.parse(strip(item));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const MAX_ATTEMPTS = 60;
const BACKOFF_CAP_MS = 2000;
/**
 * Full jitter, capped: concurrent registrations spread out instead of colliding again in lockstep. The cap
 * is the one that wastes the fewest transactions with 200 concurrent writers on one counter (DynamoDB Local).
 */
export const backoff = (attempt: number) =>
  sleep(Math.random() * Math.min(BACKOFF_CAP_MS, 20 * 2 ** attempt));

export function cancellationCodes(err: unknown): string[] | null {
  if (err instanceof TransactionCanceledException) {
    return (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  }
  return null;
}

/** Another transaction held an item: nothing was written, try again. */
export function isTransientConflict(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err.name === 'TransactionConflictException' || err.name === 'TransactionInProgressException')
  );
}

/** The date index of the postlista: by series and year, sorted by arrival. */
export const gsi2 = (serie: string, h: Pick<Handling, 'ankomstdatum' | 'mottagen' | 'diarienummer'>) => ({
  gsi2pk: keys.diariumPartition(serie, h.ankomstdatum),
  gsi2sk: `${h.ankomstdatum}#${h.mottagen}#${h.diarienummer}`,
});

export function putLog(t: DiariumTable, arendeDnr: string, e: AuditEntry): TransactItem {
  return {
    Put: {
      TableName: t.table,
      Item: { ...keys.log(arendeDnr, e.seq), typ: 'logg', ...e },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The ärende with its log head (the attributes the log appends are conditioned on). */
export async function getArendeItem(t: DiariumTable, arendeDnr: string) {
  const r = await t.db.send(
    new GetCommand({ TableName: t.table, Key: keys.arende(arendeDnr), ConsistentRead: true }),
  );
  if (!r.Item) return null;
  const item: Record<string, unknown> = r.Item;
  return arendeItemSchema.parse({ ...strip(item), logSeq: item['logSeq'], logHash: item['logHash'] });
}

export async function getHandling(t: DiariumTable, diarienummer: string): Promise<Handling | null> {
  const parts = splitHandlingsnummer(diarienummer);
  if (!parts) return null;
  const r = await t.db.send(
    new GetCommand({
      TableName: t.table,
      Key: keys.handling(parts.arende, parts.handling),
      ConsistentRead: true,
    }),
  );
  return r.Item ? parseItem(handlingSchema, r.Item) : null;
}

/** The ärende an insats's claim item names, if any. */
export async function insatsArende(t: DiariumTable, insatsnyckel: string): Promise<string | null> {
  const r = await t.db.send(
    new GetCommand({ TableName: t.table, Key: keys.insatsArende(insatsnyckel), ConsistentRead: true }),
  );
  const dnr: unknown = r.Item?.['arende'];
  return typeof dnr === 'string' ? dnr : null;
}

export async function queryAll(
  t: DiariumTable,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: t.db }, input)) out.push(...(page.Items ?? []));
  return out;
}
