import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { z } from 'zod';
import { formatArende } from '../../../domain/diarium/diarienummer.js';
import { nextEntry } from '../../../domain/diarium/audit.js';
import type {
  ArendeTarget,
  DiariumRepository,
  LogEvent,
  NewHandling,
  RegisterResult,
} from '../../../domain/diarium/ports.js';
import type { Arende, AuditEntry, Handling, Insats } from '../../../domain/diarium/types.js';
import { DiariumConflictError, HandlingNotFoundError } from '../../../domain/diarium/errors.js';
import { arendeItemSchema, arendeSchema, auditEntrySchema, handlingSchema, insatsSchema } from './diarium-schemas.js';
import { keys, splitHandlingsnummer } from './dynamo-keys.js';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

const KEY_ATTRS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'ttl', 'typ', 'logSeq', 'logHash'];

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRS.includes(k)) out[k] = v;
  return out;
}

function parseItem<T>(schema: z.ZodType<T>, item: Record<string, unknown>): T {
  return schema.parse(strip(item));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_ATTEMPTS = 25;
/** Full jitter: concurrent registrations spread out instead of colliding again in lockstep. */
const backoff = (attempt: number) => sleep(Math.random() * Math.min(1000, 10 * 2 ** attempt));

function cancellationCodes(err: unknown): string[] | null {
  if (err instanceof TransactionCanceledException) {
    return (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  }
  return null;
}

export interface DynamoDiariumOptions {
  tableName: string;
  clock?: () => Date;
}

export class DynamoDiariumRepository implements DiariumRepository {
  private readonly table: string;
  private readonly clock: () => Date;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    opts: DynamoDiariumOptions,
  ) {
    this.table = opts.tableName;
    this.clock = opts.clock ?? (() => new Date());
  }

  private now(): string {
    return this.clock().toISOString();
  }

  async registerHandling(target: ArendeTarget, handling: NewHandling, sourceKey: string): Promise<RegisterResult> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await this.findBySource(sourceKey);
      if (existing) return { handling: existing, skapad: false };
      const tx = target.typ === 'nytt' ? await this.newArendeTx(target, handling, sourceKey) : await this.existingArendeTx(target.diarienummer, handling, sourceKey);
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: tx.items }));
        return { handling: tx.handling, skapad: true };
      } catch (err) {
        const codes = cancellationCodes(err);
        if (!codes) throw err;
        // The source item is always the last one: its condition failing means someone registered it first.
        if (codes[codes.length - 1] === 'ConditionalCheckFailed') {
          const winner = await this.findBySource(sourceKey);
          if (winner) return { handling: winner, skapad: false };
        }
        await backoff(attempt);
      }
    }
    throw new DiariumConflictError(`Kunde inte tilldela diarienummer efter ${MAX_ATTEMPTS} försök`);
  }

  private async newArendeTx(
    target: Extract<ArendeTarget, { typ: 'nytt' }>,
    nh: NewHandling,
    sourceKey: string,
  ): Promise<{ items: TransactItem[]; handling: Handling }> {
    const counterKey = keys.counter(target.serie, target.ar);
    const counter = await this.db.send(new GetCommand({ TableName: this.table, Key: counterKey, ConsistentRead: true }));
    const prev = typeof counter.Item?.['senaste'] === 'number' ? counter.Item['senaste'] : 0;
    const nummer = prev + 1;
    const arendeDnr = formatArende({ serie: target.serie, ar: target.ar, nummer });
    const now = this.now();
    const handling = this.buildHandling(arendeDnr, 1, nh, now);
    const log1 = nextEntry(null, { handelse: 'arende-upprattat', av: 'system', data: { arendemening: target.arendemening } }, now);
    const log2 = nextEntry(log1, registeredEvent(handling), now);
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
      {
        Update: {
          TableName: this.table,
          Key: counterKey,
          UpdateExpression: 'SET senaste = :n',
          ConditionExpression: prev === 0 ? 'attribute_not_exists(senaste)' : 'senaste = :prev',
          ExpressionAttributeValues: prev === 0 ? { ':n': nummer } : { ':n': nummer, ':prev': prev },
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.arende(arendeDnr),
            typ: 'arende',
            ...arende,
            logSeq: log2.seq,
            logHash: log2.hash,
            ...(target.insatsnyckel ? { gsi1pk: `INSATS#${target.insatsnyckel}`, gsi1sk: arendeDnr } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.putHandling(handling),
      this.putLog(arendeDnr, log1),
      this.putLog(arendeDnr, log2),
      this.putSource(sourceKey, handling.diarienummer),
    ];
    return { items, handling };
  }

  private async existingArendeTx(
    arendeDnr: string,
    nh: NewHandling,
    sourceKey: string,
  ): Promise<{ items: TransactItem[]; handling: Handling }> {
    const meta = await this.getArendeItem(arendeDnr);
    if (!meta) throw new HandlingNotFoundError(`Ärendet ${arendeDnr} finns inte`);
    const now = this.now();
    const n = meta.antalHandlingar + 1;
    const handling = this.buildHandling(arendeDnr, n, nh, now);
    const log = nextEntry({ seq: meta.logSeq, hash: meta.logHash }, registeredEvent(handling), now);
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
      this.putHandling(handling),
      this.putLog(arendeDnr, log),
      this.putSource(sourceKey, handling.diarienummer),
    ];
    return { items, handling };
  }

  private buildHandling(arendeDnr: string, n: number, nh: NewHandling, now: string): Handling {
    return { ...nh, diarienummer: `${arendeDnr}.${n}`, arende: arendeDnr, handlingsnummer: n, registrerad: now };
  }

  private putHandling(h: Handling): TransactItem {
    const serie = h.arende.split(' ')[0] ?? '';
    return {
      Put: {
        TableName: this.table,
        Item: {
          ...keys.handling(h.arende, h.handlingsnummer),
          typ: 'handling',
          ...h,
          gsi2pk: keys.diariumPartition(serie, h.ankomstdatum),
          gsi2sk: `${h.ankomstdatum}#${h.mottagen}#${h.diarienummer}`,
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

  private async getArendeItem(arendeDnr: string) {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.arende(arendeDnr), ConsistentRead: true }));
    if (!r.Item) return null;
    const meta = arendeItemSchema.parse({ ...strip(r.Item), logSeq: r.Item['logSeq'], logHash: r.Item['logHash'] });
    return meta;
  }

  async findBySource(sourceKey: string): Promise<Handling | null> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.source(sourceKey), ConsistentRead: true }));
    const dnr = r.Item?.['diarienummer'];
    return typeof dnr === 'string' ? this.getHandling(dnr) : null;
  }

  async getHandling(diarienummer: string): Promise<Handling | null> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) return null;
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.handling(parts.arende, parts.handling), ConsistentRead: true }),
    );
    return r.Item ? parseItem(handlingSchema, r.Item) : null;
  }

  async getArende(diarienummer: string): Promise<Arende | null> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.arende(diarienummer), ConsistentRead: true }));
    return r.Item ? parseItem(arendeSchema, r.Item) : null;
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
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `INSATS#${insatsnyckel}` },
        Limit: 1,
      }),
    );
    const item = r.Items?.[0];
    return item ? parseItem(arendeSchema, item) : null;
  }

  async listDiarium(franDatum: string, tillDatum: string): Promise<Handling[]> {
    const out: Handling[] = [];
    const series = await this.knownSeries();
    for (const serie of series) {
      for (let year = Number(franDatum.slice(0, 4)); year <= Number(tillDatum.slice(0, 4)); year++) {
        const items = await this.queryAll({
          TableName: this.table,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': `DIARIUM#${serie}#${year}`,
            ':from': franDatum,
            ':to': `${tillDatum}#~`,
          },
        });
        for (const item of items) out.push(parseItem(handlingSchema, item));
      }
    }
    return out;
  }

  private seriesCache: string[] | null = null;
  /** Series in use; the deployment has one (configured), the cache avoids a read per listing. */
  private knownSeries(): Promise<string[]> {
    return Promise.resolve(this.seriesCache ?? ['SFG']);
  }

  setSeries(series: string[]): void {
    this.seriesCache = series;
  }

  async listInsatser(): Promise<Insats[]> {
    const items = await this.queryAll({
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'INSATSREGISTER' },
    });
    return items.map((i) => parseItem(insatsSchema, i));
  }

  async putInsatser(insatser: Insats[]): Promise<void> {
    for (const insats of insatser) {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.insats(insats.id), typ: 'insats', ...insats, gsi1pk: 'INSATSREGISTER', gsi1sk: insats.id },
        }),
      );
    }
  }

  async claimKvittens(diarienummer: string, nu: string): Promise<boolean> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) throw new HandlingNotFoundError(diarienummer);
    // A claim older than 15 minutes belongs to an invocation that died before sending.
    const stale = new Date(Date.parse(nu) - 15 * 60_000).toISOString();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.handling(parts.arende, parts.handling),
          UpdateExpression: 'SET kvittensClaim = :nu',
          ConditionExpression: 'kvittens = :null AND (attribute_not_exists(kvittensClaim) OR kvittensClaim < :stale)',
          ExpressionAttributeValues: { ':nu': nu, ':null': null, ':stale': stale },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async markKvittens(diarienummer: string, kvittens: { skickad: string; meddelandeId: string }): Promise<void> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) throw new HandlingNotFoundError(diarienummer);
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.handling(parts.arende, parts.handling),
        UpdateExpression: 'SET kvittens = :k REMOVE kvittensClaim',
        ExpressionAttributeValues: { ':k': kvittens },
      }),
    );
    await this.appendLog(parts.arende, {
      handelse: 'kvittens-skickad',
      av: 'system',
      data: { handling: diarienummer, meddelandeId: kvittens.meddelandeId },
    });
  }

  async releaseKvittens(diarienummer: string): Promise<void> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) return;
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.handling(parts.arende, parts.handling),
        UpdateExpression: 'REMOVE kvittensClaim',
      }),
    );
  }

  async updateHandling(
    diarienummer: string,
    change: Partial<Pick<Handling, 'granskning' | 'flaggor' | 'makulerad' | 'mottagen' | 'ankomstdatum' | 'ankomstAndrad'>>,
    log: LogEvent,
  ): Promise<Handling> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) throw new HandlingNotFoundError(diarienummer);
    const serie = parts.arende.split(' ')[0] ?? '';
    let updated: Handling | null = null;
    // Re-read inside each attempt: the ärende's log condition serialises writers, so this read-modify-write is safe.
    await this.withLog(parts.arende, log, async () => {
      const current = await this.getHandling(diarienummer);
      if (!current) throw new HandlingNotFoundError(diarienummer);
      updated = { ...current, ...change };
      return [
        {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.handling(parts.arende, parts.handling),
              typ: 'handling',
              ...updated,
              gsi2pk: keys.diariumPartition(serie, updated.ankomstdatum),
              gsi2sk: `${updated.ankomstdatum}#${updated.mottagen}#${updated.diarienummer}`,
            },
            ConditionExpression: 'attribute_exists(pk)',
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
      const meta = await this.getArendeItem(arendeDnr);
      if (!meta) throw new HandlingNotFoundError(`Ärendet ${arendeDnr} finns inte`);
      const entry = nextEntry({ seq: meta.logSeq, hash: meta.logHash }, log, this.now());
      const setNames: Record<string, string> = {};
      const setValues: Record<string, unknown> = {};
      const sets = Object.entries(arendeSet).map(([k, v], i) => {
        setNames[`#a${i}`] = k;
        setValues[`:a${i}`] = v;
        return `#a${i} = :a${i}`;
      });
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
                  ExpressionAttributeValues: { ':seq': entry.seq, ':hash': entry.hash, ':prevSeq': meta.logSeq, ...setValues },
                },
              },
              this.putLog(arendeDnr, entry),
              ...(typeof extra === 'function' ? await extra() : extra),
            ],
          }),
        );
        return entry;
      } catch (err) {
        if (!cancellationCodes(err)) throw err;
        await backoff(attempt);
      }
    }
    throw new DiariumConflictError(`Kunde inte skriva i ärendets logg ${arendeDnr}`);
  }

  private async queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
      out.push(...(r.Items ?? []));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

function registeredEvent(h: Handling): LogEvent {
  return {
    handelse: 'handling-registrerad',
    av: 'system',
    data: {
      handling: h.diarienummer,
      mottagen: h.mottagen,
      ankomstdatum: h.ankomstdatum,
      kalla: h.kalla,
      bedomning: h.bedomning,
      filer: h.filer.map((f) => ({ filnamn: f.filnamn, sha256: f.sha256 })),
    },
  };
}
