import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type * as z from 'zod';
import { formatArende } from '../../../domain/diarium/diarienummer.js';
import { HANDELSE, nextEntry, registreringshandelse } from '../../../domain/diarium/audit.js';
import type {
  ArendeTarget,
  DiariumKansliRepository,
  ImportArende,
  LogEvent,
  NewHandling,
  RegisterResult,
} from '../../../domain/diarium/ports.js';
import type { Arende, AuditEntry, Handling, Insats } from '../../../domain/diarium/types.js';
import { DiariumConflictError, HandlingNotFoundError } from '../../../domain/diarium/errors.js';
import { arendeItemSchema, arendeSchema, auditEntrySchema, handlingSchema, insatsSchema } from './schemas.js';
import { keys, splitHandlingsnummer } from '../dynamo-keys.js';

type TransactItem = NonNullable<
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

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRS.has(k)) out[k] = v;
  return out;
}

function parseItem<T>(schema: z.ZodType<T>, item: Record<string, unknown>): T {
  return schema.parse(strip(item));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_ATTEMPTS = 60;
const BACKOFF_CAP_MS = 2000;
/**
 * Full jitter, capped: concurrent registrations spread out instead of colliding again in lockstep. Measured on
 * DynamoDB Local with 200 concurrent writers on one counter: a 2 s cap wasted the fewest transactions.
 */
const backoff = (attempt: number) => sleep(Math.random() * Math.min(BACKOFF_CAP_MS, 20 * 2 ** attempt));

const counterCacheKey = (c: { serie: string; ar: number }) => `${c.serie}#${c.ar}`;

function cancellationCodes(err: unknown): string[] | null {
  if (err instanceof TransactionCanceledException) {
    return (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  }
  return null;
}

/** Another transaction held an item: nothing was written, try again. */
function isTransientConflict(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err.name === 'TransactionConflictException' || err.name === 'TransactionInProgressException')
  );
}

/** A condition on one of the caller's own items failed (not the ärende's log head): stop retrying. */
class ExtraConditionFailed extends Error {
  override name = 'ExtraConditionFailed';
}

const gsi2 = (serie: string, h: Pick<Handling, 'ankomstdatum' | 'mottagen' | 'diarienummer'>) => ({
  gsi2pk: keys.diariumPartition(serie, h.ankomstdatum),
  gsi2sk: `${h.ankomstdatum}#${h.mottagen}#${h.diarienummer}`,
});

export const KVITTENS_CLAIM_MS = 2 * 60_000;

/**
 * Serialises work per key within this process. Concurrent registrations in one Lambda instance (or the local
 * stack) would otherwise collide on the same counter and spend their time in conflict backoff; across
 * instances the conditional transaction still decides.
 */
class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}

export interface DynamoDiariumOptions {
  tableName: string;
  clock?: () => Date;
  /** The diarium series the date index is read for (the deployment's DIARIUM_SERIE). */
  serie?: string;
}

interface PreparedTx {
  items: TransactItem[];
  handling: Handling;
  /** Index of the source-dedupe put (its condition failing means the source is already registered). */
  sourceIndex: number;
  /** Index of the new ärende's put, when the registration opens one. */
  arendeIndex: number | null;
  counter: { serie: string; ar: number; nummer: number } | null;
  /** The ärende's log head once the transaction is written. */
  logHead: LogHead;
}

interface LogHead {
  seq: number;
  hash: string;
}

export class DynamoDiariumRepository implements DiariumKansliRepository {
  private readonly table: string;
  private readonly serie: string;
  private readonly lock = new KeyedLock();
  private readonly counterCache = new Map<string, number>();
  /**
   * The log head this process wrote last, per ärende: the next entry's expected predecessor. A stale head only
   * fails the transaction's condition, after which the head is read again.
   */
  private readonly logHeads = new Map<string, LogHead>();
  private readonly clock: () => Date;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    opts: DynamoDiariumOptions,
  ) {
    this.table = opts.tableName;
    this.clock = opts.clock ?? (() => new Date());
    this.serie = opts.serie ?? 'SFG';
  }

  private now(): string {
    return this.clock().toISOString();
  }

  /**
   * Registration is one TransactWriteItems: counter (conditional on the value read) + handling + log entries +
   * source-dedupe item (+ the new ärende and its insats claim). Either all are written or none, so a crash at
   * any point leaves no gap, and a retry of the same source finds the first registration.
   */
  async registerHandling(
    target: ArendeTarget,
    handling: NewHandling,
    sourceKey: string,
    opts: { kvittensClaim?: string } = {},
  ): Promise<RegisterResult> {
    let current = target;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // The first attempt leaves duplicates to the source item's condition and a report for the same insats
      // that opened its ärende meanwhile to the insats claim's condition (callers have just looked for both).
      if (attempt > 0) {
        const existing = await this.findBySource(sourceKey);
        if (existing) return { handling: existing, skapad: false };
      }
      // Another report for the same insats opened its ärende meanwhile: file this one there.
      if (attempt > 0 && current.typ === 'nytt' && current.insatsnyckel) {
        const claimed = await this.insatsArende(current.insatsnyckel);
        if (claimed) current = { typ: 'befintligt', diarienummer: claimed };
      }
      const target = current;
      const lockKey =
        target.typ === 'nytt'
          ? keys.counter(target.serie, target.ar).pk
          : keys.arende(target.diarienummer).pk;
      const attemptResult = await this.lock.run(lockKey, async () => {
        const prepared =
          target.typ === 'nytt'
            ? await this.newArendeTx(target, handling, sourceKey, opts.kvittensClaim)
            : await this.existingArendeTx(target.diarienummer, handling, sourceKey, opts.kvittensClaim);
        try {
          await this.db.send(new TransactWriteCommand({ TransactItems: prepared.items }));
        } catch (error: unknown) {
          if (prepared.counter) this.counterCache.delete(counterCacheKey(prepared.counter));
          return { tx: prepared, error };
        }
        if (prepared.counter)
          this.counterCache.set(counterCacheKey(prepared.counter), prepared.counter.nummer);
        this.rememberLogHead(prepared.handling.arende, prepared.logHead);
        return { tx: prepared, error: null };
      });
      const { tx, error: err } = attemptResult;
      if (err === null) return { handling: tx.handling, skapad: true };
      const codes = cancellationCodes(err);
      if (!codes) {
        if (isTransientConflict(err)) {
          await backoff(attempt);
          continue;
        }
        throw err instanceof Error ? err : new Error(JSON.stringify(err));
      }
      if (codes[tx.sourceIndex] === 'ConditionalCheckFailed') {
        const winner = await this.findBySource(sourceKey);
        if (winner) return { handling: winner, skapad: false };
      }
      // The number is taken by an imported ärende while the counter lagged behind: move the counter past it.
      if (
        tx.arendeIndex !== null &&
        tx.counter &&
        codes[0] !== 'ConditionalCheckFailed' &&
        codes[tx.arendeIndex] === 'ConditionalCheckFailed'
      ) {
        await this.raiseCounter(tx.counter.serie, tx.counter.ar, tx.counter.nummer);
        continue;
      }
      await backoff(attempt);
    }
    throw new DiariumConflictError(`Kunde inte tilldela diarienummer efter ${MAX_ATTEMPTS} försök`);
  }

  private async raiseCounter(serie: string, ar: number, nummer: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.counter(serie, ar),
          UpdateExpression: 'SET senaste = :n',
          ConditionExpression: 'attribute_not_exists(senaste) OR senaste < :n',
          ExpressionAttributeValues: { ':n': nummer },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  private async readCounter(serie: string, ar: number): Promise<number> {
    // The value this process wrote last is the value to expect; a failed condition clears it and we read again.
    const cached = this.counterCache.get(counterCacheKey({ serie, ar }));
    if (cached !== undefined) return cached;
    const counter = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.counter(serie, ar), ConsistentRead: true }),
    );
    const v: unknown = counter.Item?.['senaste'];
    return typeof v === 'number' ? v : 0;
  }

  private counterUpdate(serie: string, ar: number, prev: number, nummer: number): TransactItem {
    return {
      Update: {
        TableName: this.table,
        Key: keys.counter(serie, ar),
        UpdateExpression: 'SET senaste = :n',
        ConditionExpression: prev === 0 ? 'attribute_not_exists(senaste)' : 'senaste = :prev',
        ExpressionAttributeValues: prev === 0 ? { ':n': nummer } : { ':n': nummer, ':prev': prev },
      },
    };
  }

  private arendePut(arende: Arende, log: AuditEntry): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: {
          ...keys.arende(arende.diarienummer),
          typ: 'arende',
          ...arende,
          logSeq: log.seq,
          logHash: log.hash,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private insatsClaim(insatsnyckel: string, arendeDnr: string): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...keys.insatsArende(insatsnyckel), typ: 'insatsarende', arende: arendeDnr },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private async newArendeTx(
    target: Extract<ArendeTarget, { typ: 'nytt' }>,
    nh: NewHandling,
    sourceKey: string,
    kvittensClaim: string | undefined,
  ): Promise<PreparedTx> {
    const prev = await this.readCounter(target.serie, target.ar);
    const nummer = prev + 1;
    const arendeDnr = formatArende({ serie: target.serie, ar: target.ar, nummer });
    const now = this.now();
    const handling = this.buildHandling(arendeDnr, 1, nh, now);
    const log1 = nextEntry(
      null,
      { handelse: HANDELSE.arendeUpprattat, av: 'system', data: { arendemening: target.arendemening } },
      now,
    );
    const log2 = nextEntry(log1, registreringshandelse(handling), now);
    const arende: Arende = {
      diarienummer: arendeDnr,
      serie: target.serie,
      ar: target.ar,
      nummer,
      arendemening: target.arendemening,
      insatsId: target.insatsId,
      insatsnyckel: target.insatsnyckel,
      status: 'oppet',
      skapad: now,
      antalHandlingar: 1,
    };
    const items: TransactItem[] = [
      this.counterUpdate(target.serie, target.ar, prev, nummer),
      this.arendePut(arende, log2),
      this.putHandling(handling, kvittensClaim),
      this.putLog(arendeDnr, log1),
      this.putLog(arendeDnr, log2),
      ...(target.insatsnyckel ? [this.insatsClaim(target.insatsnyckel, arendeDnr)] : []),
      this.putSource(sourceKey, handling.diarienummer),
    ];
    return {
      items,
      handling,
      sourceIndex: items.length - 1,
      arendeIndex: 1,
      counter: { serie: target.serie, ar: target.ar, nummer },
      logHead: { seq: log2.seq, hash: log2.hash },
    };
  }

  private async existingArendeTx(
    arendeDnr: string,
    nh: NewHandling,
    sourceKey: string,
    kvittensClaim: string | undefined,
  ): Promise<PreparedTx> {
    const meta = await this.getArendeItem(arendeDnr);
    if (!meta) throw new HandlingNotFoundError(`Ärendet ${arendeDnr} finns inte`);
    const now = this.now();
    const n = meta.antalHandlingar + 1;
    const handling = this.buildHandling(arendeDnr, n, nh, now);
    const log = nextEntry({ seq: meta.logSeq, hash: meta.logHash }, registreringshandelse(handling), now);
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.table,
          Key: keys.arende(arendeDnr),
          UpdateExpression: 'SET antalHandlingar = :n, logSeq = :seq, logHash = :hash',
          ConditionExpression: 'antalHandlingar = :prev AND logSeq = :prevSeq',
          ExpressionAttributeValues: {
            ':n': n,
            ':prev': meta.antalHandlingar,
            ':seq': log.seq,
            ':prevSeq': meta.logSeq,
            ':hash': log.hash,
          },
        },
      },
      this.putHandling(handling, kvittensClaim),
      this.putLog(arendeDnr, log),
      this.putSource(sourceKey, handling.diarienummer),
    ];
    return {
      items,
      handling,
      sourceIndex: items.length - 1,
      arendeIndex: null,
      counter: null,
      logHead: { seq: log.seq, hash: log.hash },
    };
  }

  private buildHandling(arendeDnr: string, n: number, nh: NewHandling, now: string): Handling {
    return {
      ...nh,
      diarienummer: `${arendeDnr}.${n}`,
      arende: arendeDnr,
      handlingsnummer: n,
      registrerad: now,
    };
  }

  private putHandling(h: Handling, kvittensClaim?: string): TransactItem {
    const serie = h.arende.split(' ')[0] ?? '';
    return {
      Put: {
        TableName: this.table,
        Item: {
          ...keys.handling(h.arende, h.handlingsnummer),
          typ: 'handling',
          ...h,
          ...gsi2(serie, h),
          ...(kvittensClaim ? { kvittensClaim } : {}),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private putLog(arendeDnr: string, e: AuditEntry): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...keys.log(arendeDnr, e.seq), typ: 'logg', ...e },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private putSource(sourceKey: string, dnr: string): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...keys.source(sourceKey), typ: 'kalla', diarienummer: dnr },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private async readLogHead(arendeDnr: string): Promise<LogHead> {
    const meta = await this.getArendeItem(arendeDnr);
    if (!meta) throw new HandlingNotFoundError(`Ärendet ${arendeDnr} finns inte`);
    return { seq: meta.logSeq, hash: meta.logHash };
  }

  private rememberLogHead(arendeDnr: string, head: LogHead): void {
    // Bounded: a warm Lambda instance sees many ärenden; forgetting only costs a read.
    if (this.logHeads.size >= 1000) this.logHeads.clear();
    this.logHeads.set(arendeDnr, { seq: head.seq, hash: head.hash });
  }

  private async getArendeItem(arendeDnr: string) {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.arende(arendeDnr), ConsistentRead: true }),
    );
    if (!r.Item) return null;
    const item: Record<string, unknown> = r.Item;
    return arendeItemSchema.parse({ ...strip(item), logSeq: item['logSeq'], logHash: item['logHash'] });
  }

  private async insatsArende(insatsnyckel: string): Promise<string | null> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.insatsArende(insatsnyckel), ConsistentRead: true }),
    );
    const dnr: unknown = r.Item?.['arende'];
    return typeof dnr === 'string' ? dnr : null;
  }

  async findBySource(sourceKey: string): Promise<Handling | null> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.source(sourceKey), ConsistentRead: true }),
    );
    const dnr: unknown = r.Item?.['diarienummer'];
    return typeof dnr === 'string' ? this.getHandling(dnr) : null;
  }

  async getHandling(diarienummer: string): Promise<Handling | null> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) return null;
    const r = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.handling(parts.arende, parts.handling),
        ConsistentRead: true,
      }),
    );
    return r.Item ? parseItem(handlingSchema, r.Item) : null;
  }

  async getArende(diarienummer: string): Promise<Arende | null> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.arende(diarienummer), ConsistentRead: true }),
    );
    return r.Item ? parseItem(arendeSchema, r.Item) : null;
  }

  async getArenden(diarienummer: string[]): Promise<Arende[]> {
    const unique = [...new Set(diarienummer)];
    const out: Arende[] = [];
    for (let i = 0; i < unique.length; i += 100) {
      let pending: Record<string, unknown>[] = unique.slice(i, i + 100).map((d) => keys.arende(d));
      for (let round = 0; pending.length > 0; round++) {
        const r = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of r.Responses?.[this.table] ?? []) out.push(parseItem(arendeSchema, item));
        pending = r.UnprocessedKeys?.[this.table]?.Keys ?? [];
        if (pending.length > 0) await backoff(round);
      }
    }
    return out;
  }

  async getLogHuvud(arende: string): Promise<{ seq: number; hash: string } | null> {
    const meta = await this.getArendeItem(arende);
    return meta ? { seq: meta.logSeq, hash: meta.logHash } : null;
  }

  async importArende(a: ImportArende, av: string): Promise<{ arende: Arende; skapad: boolean }> {
    const dnr = formatArende(a);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await this.getArende(dnr);
      if (existing) return { arende: existing, skapad: false };
      const prev = await this.readCounter(a.serie, a.ar);
      const now = this.now();
      const log = nextEntry(
        null,
        {
          handelse: HANDELSE.arendeImporterat,
          av,
          data: { arendemening: a.arendemening, insatsId: a.insatsId },
        },
        now,
      );
      const arende: Arende = { ...a, diarienummer: dnr, status: 'oppet', skapad: now, antalHandlingar: 0 };
      const claimed = a.insatsnyckel ? await this.insatsArende(a.insatsnyckel) : null;
      const items: TransactItem[] = [
        ...(prev < a.nummer ? [this.counterUpdate(a.serie, a.ar, prev, a.nummer)] : []),
        this.arendePut(arende, log),
        this.putLog(dnr, log),
        ...(a.insatsnyckel && !claimed ? [this.insatsClaim(a.insatsnyckel, dnr)] : []),
      ];
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return { arende, skapad: true };
      } catch (err) {
        if (!cancellationCodes(err) && !isTransientConflict(err)) throw err;
        await backoff(attempt);
      }
    }
    throw new DiariumConflictError(`Kunde inte lägga in ärendet ${dnr}`);
  }

  async getArendeDetaljer(diarienummer: string) {
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `ARENDE#${diarienummer}` },
      ConsistentRead: true,
    });
    let arende: Arende | null = null;
    const handlingar: Handling[] = [];
    const logg: AuditEntry[] = [];
    for (const item of items) {
      const sk = String(item['sk']);
      if (sk === 'A') arende = parseItem(arendeSchema, item);
      else if (sk.startsWith('H#')) handlingar.push(parseItem(handlingSchema, item));
      else if (sk.startsWith('L#')) logg.push(parseItem(auditEntrySchema, item));
    }
    return arende ? { arende, handlingar, logg } : null;
  }

  async findArendeByInsatsnyckel(insatsnyckel: string): Promise<Arende | null> {
    // Every ärende with an insatsnyckel is created together with its claim item (registration and import).
    const claimed = await this.insatsArende(insatsnyckel);
    return claimed ? this.getArende(claimed) : null;
  }

  async listDiarium(franDatum: string, tillDatum: string): Promise<Handling[]> {
    const out: Handling[] = [];
    for (let year = Number(franDatum.slice(0, 4)); year <= Number(tillDatum.slice(0, 4)); year++) {
      const items = await this.queryAll({
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': `DIARIUM#${this.serie}#${year}`,
          ':from': franDatum,
          ':to': `${tillDatum}#~`,
        },
      });
      for (const item of items) out.push(parseItem(handlingSchema, item));
    }
    return out;
  }

  private insatsCache: { at: number; insatser: Insats[] } | null = null;

  /** The register changes a few times a year; a minute's cache spares a query per incoming report. */
  async listInsatser(): Promise<Insats[]> {
    const now = Date.now();
    if (this.insatsCache && now - this.insatsCache.at < 60_000) return this.insatsCache.insatser;
    const insatser = await this.loadInsatser();
    this.insatsCache = { at: now, insatser };
    return insatser;
  }

  private async loadInsatser(): Promise<Insats[]> {
    const items = await this.queryAll({
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'INSATSREGISTER' },
    });
    return items.map((i) => parseItem(insatsSchema, i));
  }

  async putInsatser(insatser: Insats[]): Promise<void> {
    this.insatsCache = null;
    for (const insats of insatser) {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.insats(insats.id),
            typ: 'insats',
            ...insats,
            gsi1pk: 'INSATSREGISTER',
            gsi1sk: insats.id,
          },
        }),
      );
    }
  }

  async claimKvittens(diarienummer: string, nu: string): Promise<boolean> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) throw new HandlingNotFoundError(diarienummer);
    // A claim older than two minutes belongs to an invocation that died before sending (an SES call takes seconds).
    const stale = new Date(Date.parse(nu) - KVITTENS_CLAIM_MS).toISOString();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.handling(parts.arende, parts.handling),
          UpdateExpression: 'SET kvittensClaim = :nu',
          ConditionExpression:
            'attribute_exists(pk) AND kvittens = :null AND (attribute_not_exists(kvittensClaim) OR kvittensClaim < :stale)',
          ExpressionAttributeValues: { ':nu': nu, ':null': null, ':stale': stale },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** The kvittens and its log entry in one transaction: a crash cannot leave one without the other. */
  async markKvittens(
    diarienummer: string,
    kvittens: { skickad: string; meddelandeId: string },
  ): Promise<void> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) throw new HandlingNotFoundError(diarienummer);
    try {
      await this.withLog(
        parts.arende,
        {
          handelse: HANDELSE.kvittensSkickad,
          av: 'system',
          data: { handling: diarienummer, meddelandeId: kvittens.meddelandeId },
        },
        [
          {
            Update: {
              TableName: this.table,
              Key: keys.handling(parts.arende, parts.handling),
              UpdateExpression: 'SET kvittens = :k REMOVE kvittensClaim',
              ConditionExpression: 'attribute_exists(pk) AND kvittens = :null',
              ExpressionAttributeValues: { ':k': kvittens, ':null': null },
            },
          },
        ],
      );
    } catch (err) {
      // Already marked (a retry after the first mark): nothing to do.
      if (!(err instanceof ExtraConditionFailed)) throw err;
    }
  }

  async releaseKvittens(diarienummer: string): Promise<void> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) return;
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.handling(parts.arende, parts.handling),
          UpdateExpression: 'REMOVE kvittensClaim',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      )
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }

  /**
   * Changes only the given fields (other writers' attributes, such as a kvittens claim, stay), in the same
   * transaction as the log entry. `guard` sees the current handling on every attempt.
   */
  async updateHandling(
    diarienummer: string,
    change: Partial<
      Pick<Handling, 'granskning' | 'flaggor' | 'makulerad' | 'mottagen' | 'ankomstdatum' | 'ankomstAndrad'>
    >,
    log: LogEvent,
    guard?: (current: Handling) => void,
  ): Promise<Handling> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) throw new HandlingNotFoundError(diarienummer);
    const serie = parts.arende.split(' ')[0] ?? '';
    let updated: Handling | null = null;
    await this.withLog(parts.arende, log, async () => {
      const current = await this.getHandling(diarienummer);
      if (!current) throw new HandlingNotFoundError(diarienummer);
      guard?.(current);
      updated = { ...current, ...change };
      const fields: Record<string, unknown> = { ...change };
      if ('mottagen' in change || 'ankomstdatum' in change) Object.assign(fields, gsi2(serie, updated));
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const sets = Object.entries(fields).map(([k, v], i) => {
        names[`#f${i}`] = k;
        values[`:f${i}`] = v;
        return `#f${i} = :f${i}`;
      });
      if (sets.length === 0) return [];
      return [
        {
          Update: {
            TableName: this.table,
            Key: keys.handling(parts.arende, parts.handling),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
      ];
    });
    if (!updated) throw new HandlingNotFoundError(diarienummer);
    return updated;
  }

  async updateArendeStatus(diarienummer: string, status: Arende['status'], log: LogEvent): Promise<void> {
    await this.withLog(diarienummer, log, [], { status });
  }

  async appendLog(arende: string, log: LogEvent): Promise<AuditEntry> {
    return this.withLog(arende, log, []);
  }

  /** Appends one audit entry and applies the other writes in the same transaction, retrying on conflict. */
  private async withLog(
    arendeDnr: string,
    log: LogEvent,
    extra: TransactItem[] | (() => Promise<TransactItem[]>),
    arendeSet: Record<string, unknown> = {},
  ): Promise<AuditEntry> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head =
        (attempt === 0 ? this.logHeads.get(arendeDnr) : undefined) ?? (await this.readLogHead(arendeDnr));
      const entry = nextEntry(head, log, this.now());
      const setNames: Record<string, string> = {};
      const setValues: Record<string, unknown> = {};
      const sets = Object.entries(arendeSet).map(([k, v], i) => {
        setNames[`#a${i}`] = k;
        setValues[`:a${i}`] = v;
        return `#a${i} = :a${i}`;
      });
      const extraItems = typeof extra === 'function' ? await extra() : extra;
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.table,
                  Key: keys.arende(arendeDnr),
                  UpdateExpression: `SET ${['logSeq = :seq', 'logHash = :hash', ...sets].join(', ')}`,
                  ConditionExpression: 'logSeq = :prevSeq',
                  ...(sets.length ? { ExpressionAttributeNames: setNames } : {}),
                  ExpressionAttributeValues: {
                    ':seq': entry.seq,
                    ':hash': entry.hash,
                    ':prevSeq': head.seq,
                    ...setValues,
                  },
                },
              },
              this.putLog(arendeDnr, entry),
              ...extraItems,
            ],
          }),
        );
        this.rememberLogHead(arendeDnr, entry);
        return entry;
      } catch (err) {
        this.logHeads.delete(arendeDnr);
        const codes = cancellationCodes(err);
        if (!codes && !isTransientConflict(err)) throw err;
        // The log head moved (another writer) → retry; one of the caller's own conditions failed → give up.
        if (
          codes &&
          codes[0] !== 'ConditionalCheckFailed' &&
          codes.slice(2).includes('ConditionalCheckFailed')
        ) {
          throw new ExtraConditionFailed(`Villkoret för ändringen i ${arendeDnr} uppfylldes inte`);
        }
        await backoff(attempt);
      }
    }
    throw new DiariumConflictError(`Kunde inte skriva i ärendets logg ${arendeDnr}`);
  }

  private async queryAll(
    input: ConstructorParameters<typeof QueryCommand>[0],
  ): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.db.send(
        new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      out.push(...(r.Items ?? []));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
