import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { formatArende } from '../../../domain/diarium/diarienummer.js';
import { HANDELSE, nextEntry, registreringshandelse } from '../../../domain/diarium/audit.js';
import type {
  ArendeTarget,
  HandlingRegistry,
  ImportArende,
  NewHandling,
  RegisterResult,
} from '../../../domain/diarium/ports.js';
import type { Arende, AuditEntry, Handling } from '../../../domain/diarium/types.js';
import { DiariumConflictError, HandlingNotFoundError } from '../../../domain/diarium/errors.js';
import { keys } from '../dynamo-keys.js';
import type { DynamoArendeLog, LogHead } from './audit-log.js';
import type { DynamoDiariumReader } from './reads.js';
import { listradItem } from './sok.js';
import {
  backoff,
  cancellationCodes,
  getArendeItem,
  getHandling,
  gsi2,
  insatsArende,
  isTransientConflict,
  MAX_ATTEMPTS,
  putLog,
  type DiariumTable,
  type TransactItem,
} from './table.js';

const counterCacheKey = (c: { serie: string; ar: number }) => `${c.serie}#${c.ar}`;

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

/**
 * Registration and numbering: the diarienummer allocation transaction (counter, ärende, handling, log entries,
 * source-dedupe and insats claim items), and ärenden imported with their own number.
 */
export class DynamoHandlingRegistry implements HandlingRegistry {
  private readonly lock = new KeyedLock();
  private readonly counterCache = new Map<string, number>();

  constructor(
    private readonly t: DiariumTable,
    private readonly log: DynamoArendeLog,
    private readonly reader: DynamoDiariumReader,
  ) {}

  /**
   * Registration is one TransactWriteItems: counter (conditional on the value read) + handling + log entries +
   * source-dedupe item (+ the new ärende and its insats claim). Either all are written or none, so a crash at
   * any point leaves no gap, and a retry of the same source finds the first registration.
   */
  async registerHandling(
    target: ArendeTarget,
    handling: NewHandling,
    sourceKey: string,
    opts: { kvittensClaim?: string; av?: string } = {},
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
        const claimed = await insatsArende(this.t, current.insatsnyckel);
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
            ? await this.newArendeTx(target, handling, sourceKey, opts.kvittensClaim, opts.av)
            : await this.existingArendeTx(
                target.diarienummer,
                handling,
                sourceKey,
                opts.kvittensClaim,
                opts.av,
              );
        try {
          await this.t.db.send(new TransactWriteCommand({ TransactItems: prepared.items }));
        } catch (error: unknown) {
          if (prepared.counter) this.counterCache.delete(counterCacheKey(prepared.counter));
          return { tx: prepared, error };
        }
        if (prepared.counter)
          this.counterCache.set(counterCacheKey(prepared.counter), prepared.counter.nummer);
        this.log.rememberLogHead(prepared.handling.arende, prepared.logHead);
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
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.table,
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
    const counter = await this.t.db.send(
      new GetCommand({ TableName: this.t.table, Key: keys.counter(serie, ar), ConsistentRead: true }),
    );
    const v: unknown = counter.Item?.['senaste'];
    return typeof v === 'number' ? v : 0;
  }

  private counterUpdate(serie: string, ar: number, prev: number, nummer: number): TransactItem {
    return {
      Update: {
        TableName: this.t.table,
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
        TableName: this.t.table,
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
        TableName: this.t.table,
        // The key may be a hash of a long insatsnyckel: the full value is kept beside it.
        Item: { ...keys.insatsArende(insatsnyckel), typ: 'insatsarende', arende: arendeDnr, insatsnyckel },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private async newArendeTx(
    target: Extract<ArendeTarget, { typ: 'nytt' }>,
    nh: NewHandling,
    sourceKey: string,
    kvittensClaim: string | undefined,
    av = 'system',
  ): Promise<PreparedTx> {
    const prev = await this.readCounter(target.serie, target.ar);
    const nummer = prev + 1;
    const arendeDnr = formatArende({ serie: target.serie, ar: target.ar, nummer });
    const now = this.t.now();
    const handling = this.buildHandling(arendeDnr, 1, nh, now);
    const log1 = nextEntry(
      null,
      { handelse: HANDELSE.arendeUpprattat, av, data: { arendemening: target.arendemening } },
      now,
    );
    const log2 = nextEntry(log1, registreringshandelse(handling, av), now);
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
      listradItem(this.t, handling, target.insatsId),
      putLog(this.t, arendeDnr, log1),
      putLog(this.t, arendeDnr, log2),
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
    av = 'system',
  ): Promise<PreparedTx> {
    const meta = await getArendeItem(this.t, arendeDnr);
    if (!meta) throw new HandlingNotFoundError(`Ärendet ${arendeDnr} finns inte`);
    const now = this.t.now();
    const n = meta.antalHandlingar + 1;
    const handling = this.buildHandling(arendeDnr, n, nh, now);
    const log = nextEntry({ seq: meta.logSeq, hash: meta.logHash }, registreringshandelse(handling, av), now);
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.t.table,
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
      listradItem(this.t, handling, meta.insatsId),
      putLog(this.t, arendeDnr, log),
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
        TableName: this.t.table,
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
        TableName: this.t.table,
        Item: { ...keys.log(arendeDnr, e.seq), typ: 'logg', ...e },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private putSource(sourceKey: string, dnr: string): TransactItem {
    return {
      Put: {
        TableName: this.t.table,
        // The key may be a hash of a long source key (a 3 000-character Message-ID): the full value is kept.
        Item: { ...keys.source(sourceKey), typ: 'kalla', diarienummer: dnr, kallnyckel: sourceKey },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  async findBySource(sourceKey: string): Promise<Handling | null> {
    const r = await this.t.db.send(
      new GetCommand({ TableName: this.t.table, Key: keys.source(sourceKey), ConsistentRead: true }),
    );
    const dnr: unknown = r.Item?.['diarienummer'];
    if (typeof dnr !== 'string') return null;
    // A source registered before a move is the moved handling now: follow the stub (a few moves at most).
    let h = await getHandling(this.t, dnr);
    for (let i = 0; i < 10 && h?.flyttad; i++) {
      const next = await getHandling(this.t, h.flyttad.till);
      if (!next) break;
      h = next;
    }
    return h;
  }

  async importArende(a: ImportArende, av: string): Promise<{ arende: Arende; skapad: boolean }> {
    const dnr = formatArende(a);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await this.reader.getArende(dnr);
      if (existing) return { arende: existing, skapad: false };
      const prev = await this.readCounter(a.serie, a.ar);
      const now = this.t.now();
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
      const claimed = a.insatsnyckel ? await insatsArende(this.t, a.insatsnyckel) : null;
      const items: TransactItem[] = [
        ...(prev < a.nummer ? [this.counterUpdate(a.serie, a.ar, prev, a.nummer)] : []),
        this.arendePut(arende, log),
        putLog(this.t, dnr, log),
        ...(a.insatsnyckel && !claimed ? [this.insatsClaim(a.insatsnyckel, dnr)] : []),
      ];
      try {
        await this.t.db.send(new TransactWriteCommand({ TransactItems: items }));
        return { arende, skapad: true };
      } catch (err) {
        if (!cancellationCodes(err) && !isTransientConflict(err)) throw err;
        await backoff(attempt);
      }
    }
    throw new DiariumConflictError(`Kunde inte lägga in ärendet ${dnr}`);
  }
}
