import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { nextEntry } from '../../../domain/diarium/audit.js';
import type { ArendeLog, HandlingChange, LogEvent } from '../../../domain/diarium/ports.js';
import type { Arende, AuditEntry, Handling } from '../../../domain/diarium/types.js';
import {
  DiariumConflictError,
  DiariumRegelError,
  HandlingNotFoundError,
} from '../../../domain/diarium/errors.js';
import { keys, splitHandlingsnummer } from '../dynamo-keys.js';
import { listradItem } from './sok.js';
import {
  backoff,
  cancellationCodes,
  getArendeItem,
  getHandling,
  gsi2,
  isTransientConflict,
  MAX_ATTEMPTS,
  putLog,
  type DiariumTable,
  type TransactItem,
} from './table.js';

/** A condition on one of the caller's own items failed (not the ärende's log head): stop retrying. */
export class ExtraConditionFailed extends Error {
  override name = 'ExtraConditionFailed';
}

export interface LogHead {
  seq: number;
  hash: string;
}

/**
 * The hash-chained ärende log. Every entry moves the head stored on the ärende (conditionally), in the same
 * transaction as the change it records.
 */
export class DynamoArendeLog implements ArendeLog {
  /**
   * The log head this process wrote last, per ärende: the next entry's expected predecessor. A stale head only
   * fails the transaction's condition, after which the head is read again.
   */
  private readonly logHeads = new Map<string, LogHead>();

  constructor(private readonly t: DiariumTable) {}

  rememberLogHead(arendeDnr: string, head: LogHead): void {
    // Bounded: a warm Lambda instance sees many ärenden; forgetting only costs a read.
    if (this.logHeads.size >= 1000) this.logHeads.clear();
    this.logHeads.set(arendeDnr, { seq: head.seq, hash: head.hash });
  }

  private async readLogHead(arendeDnr: string): Promise<LogHead> {
    const meta = await getArendeItem(this.t, arendeDnr);
    if (!meta) throw new HandlingNotFoundError(`Ärendet ${arendeDnr} finns inte`);
    return { seq: meta.logSeq, hash: meta.logHash };
  }

  async getLogHuvud(arende: string): Promise<{ seq: number; hash: string } | null> {
    const meta = await getArendeItem(this.t, arende);
    return meta ? { seq: meta.logSeq, hash: meta.logHash } : null;
  }

  /**
   * Changes only the given fields (other writers' attributes, such as a kvittens claim, stay), in the same
   * transaction as the log entry. `guard` sees the current handling on every attempt.
   */
  async updateHandling(
    diarienummer: string,
    change: HandlingChange,
    log: LogEvent,
    guard?: (current: Handling) => void,
  ): Promise<Handling> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) throw new HandlingNotFoundError(diarienummer);
    const serie = parts.arende.split(' ')[0] ?? '';
    let updated: Handling | null = null;
    await this.withLog(parts.arende, log, async () => {
      const [current, arende] = await Promise.all([
        getHandling(this.t, diarienummer),
        getArendeItem(this.t, parts.arende),
      ]);
      if (!current) throw new HandlingNotFoundError(diarienummer);
      // A moved handling's stub takes only what concerns mail that named its old number (a bounce).
      if (current.flyttad && Object.keys(change).some((k) => k !== 'flaggor' && k !== 'noteringar'))
        throw new DiariumRegelError(
          `Handlingen ${diarienummer} är flyttad till ${current.flyttad.till}; ändra den där.`,
        );
      guard?.(current);
      updated = { ...current, ...change };
      // The list item is written again with every change: it carries the list's attributes of the handling.
      const rad = listradItem(this.t, updated, arende?.insatsId ?? null);
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
        rad,
        {
          Update: {
            TableName: this.t.table,
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

  /**
   * Appends one audit entry and applies the other writes in the same transaction, retrying on conflict. Throws
   * ExtraConditionFailed when a condition of `extra` fails.
   */
  async withLog(
    arendeDnr: string,
    log: LogEvent,
    extra: TransactItem[] | (() => Promise<TransactItem[]>),
    arendeSet: Record<string, unknown> = {},
  ): Promise<AuditEntry> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head =
        (attempt === 0 ? this.logHeads.get(arendeDnr) : undefined) ?? (await this.readLogHead(arendeDnr));
      const entry = nextEntry(head, log, this.t.now());
      const setNames: Record<string, string> = {};
      const setValues: Record<string, unknown> = {};
      const sets = Object.entries(arendeSet).map(([k, v], i) => {
        setNames[`#a${i}`] = k;
        setValues[`:a${i}`] = v;
        return `#a${i} = :a${i}`;
      });
      const extraItems = typeof extra === 'function' ? await extra() : extra;
      try {
        await this.t.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.t.table,
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
              putLog(this.t, arendeDnr, entry),
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
}
