import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { nextEntry } from '../../../domain/diarium/audit.js';
import { DiariumConflictError, InsatsKonfliktError } from '../../../domain/diarium/errors.js';
import type {
  InsatsRegister,
  InsatsRegisterRedigering,
  LogEvent,
  VersioneradInsats,
} from '../../../domain/diarium/ports.js';
import type { AuditEntry, Insats } from '../../../domain/diarium/types.js';
import { boundedKeyPart, keys } from '../dynamo-keys.js';
import { auditEntrySchema, insatsSchema } from './schemas.js';
import {
  backoff,
  cancellationCodes,
  getArendeItem,
  isTransientConflict,
  MAX_ATTEMPTS,
  parseItem,
  putLog,
  queryAll,
  type DiariumTable,
  type TransactItem,
} from './table.js';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

const versionSchema = z.object({ version: z.number().int().min(0).optional() });
const huvudSchema = z.object({ logSeq: z.number().int(), logHash: z.string() });

/**
 * The insats register: one item per insats, listed through gsi1. The kansli's edits are versioned (an item
 * attribute `version`) and logged in the register's own hash-chained log (`INSATSREGISTER`, head `HUVUD`)
 * and in the logs of the ärenden the change names, in one transaction.
 */
export class DynamoInsatsRegister implements InsatsRegister, InsatsRegisterRedigering {
  private insatsCache: { at: number; insatser: Insats[] } | null = null;

  constructor(private readonly t: DiariumTable) {}

  /** The register changes a few times a year; a minute's cache spares a query per incoming report. */
  async listInsatser(): Promise<Insats[]> {
    const now = Date.now();
    if (this.insatsCache && now - this.insatsCache.at < 60_000) return this.insatsCache.insatser;
    const insatser = (await this.listVersionerade()).map((v) => v.insats);
    this.insatsCache = { at: now, insatser };
    return insatser;
  }

  async listVersionerade(): Promise<VersioneradInsats[]> {
    const items = await queryAll(this.t, {
      TableName: this.t.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'INSATSREGISTER' },
    });
    return items.map((i) => this.versionerad(i));
  }

  async getVersionerad(id: string): Promise<VersioneradInsats | null> {
    const r = await this.t.db.send(
      new GetCommand({ TableName: this.t.table, Key: keys.insats(id), ConsistentRead: true }),
    );
    return r.Item ? this.versionerad(r.Item) : null;
  }

  private versionerad(item: Record<string, unknown>): VersioneradInsats {
    return {
      insats: parseItem(insatsSchema, item),
      version: versionSchema.parse({ version: item['version'] }).version ?? 0,
    };
  }

  private item(insats: Insats, version?: number): Record<string, unknown> {
    return {
      ...keys.insats(insats.id),
      typ: 'insats',
      ...insats,
      ...(version !== undefined ? { version } : {}),
      gsi1pk: 'INSATSREGISTER',
      // A sort key is at most 1024 bytes; the id itself is in the item.
      gsi1sk: boundedKeyPart(insats.id),
    };
  }

  async putInsatser(insatser: Insats[]): Promise<void> {
    this.insatsCache = null;
    for (const insats of insatser) {
      await this.t.db.send(new PutCommand({ TableName: this.t.table, Item: this.item(insats) }));
    }
  }

  async skrivInsats(
    andring: { insats: Insats; forvantadVersion: number | null },
    logg: LogEvent,
    arenden: string[],
  ): Promise<number> {
    this.insatsCache = null;
    const { insats, forvantadVersion: v } = andring;
    const version = (v ?? 0) + 1;
    const put: TransactItem = {
      Put: {
        TableName: this.t.table,
        Item: this.item(insats, version),
        // Version 0 is an insats written before versions (no attribute).
        ...(v === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : v === 0
            ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(version)' }
            : {
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': v },
              }),
      },
    };
    try {
      await this.medLogg(logg, arenden, [put]);
    } catch (err) {
      if (err instanceof ExtraFailed)
        throw new InsatsKonfliktError(
          v === null
            ? `Det finns redan en insats med id ${insats.id}.`
            : `Insatsen ${insats.id} har ändrats av någon annan sedan du öppnade formuläret. Ingenting sparades; öppna den igen.`,
        );
      throw err;
    }
    return version;
  }

  async loggaRegister(logg: LogEvent, arenden: string[]): Promise<AuditEntry> {
    return this.medLogg(logg, arenden, []);
  }

  async listRegisterLogg(): Promise<AuditEntry[]> {
    const items = await queryAll(this.t, {
      TableName: this.t.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :l)',
      ExpressionAttributeValues: { ':pk': keys.insatsregisterHuvud.pk, ':l': 'L#' },
      ConsistentRead: true,
    });
    return items.map((i) => parseItem(auditEntrySchema, i));
  }

  private async registerHuvud(): Promise<{ seq: number; hash: string } | null> {
    const r = await this.t.db.send(
      new GetCommand({ TableName: this.t.table, Key: keys.insatsregisterHuvud, ConsistentRead: true }),
    );
    if (!r.Item) return null;
    const h = huvudSchema.parse(r.Item);
    return { seq: h.logSeq, hash: h.logHash };
  }

  /**
   * One entry in the register's log and in each ärende's, with `extra`, in one transaction; a moved log head
   * is read again and retried, a failed condition of `extra` throws ExtraFailed.
   */
  private async medLogg(logg: LogEvent, arenden: string[], extra: TransactItem[]): Promise<AuditEntry> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const huvud = await this.registerHuvud();
      const nu = this.t.now();
      const entry = nextEntry(huvud, logg, nu);
      const items: TransactItem[] = [
        {
          Put: {
            TableName: this.t.table,
            Item: {
              ...keys.insatsregisterHuvud,
              typ: 'insatsregister',
              logSeq: entry.seq,
              logHash: entry.hash,
            },
            ...(huvud
              ? { ConditionExpression: 'logSeq = :prev', ExpressionAttributeValues: { ':prev': huvud.seq } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
        {
          Put: {
            TableName: this.t.table,
            Item: { ...keys.insatsregisterLogg(entry.seq), typ: 'insatslogg', ...entry },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
      for (const a of arenden) {
        const meta = await getArendeItem(this.t, a);
        if (!meta) continue;
        const e = nextEntry({ seq: meta.logSeq, hash: meta.logHash }, logg, nu);
        items.push(
          {
            Update: {
              TableName: this.t.table,
              Key: keys.arende(a),
              UpdateExpression: 'SET logSeq = :seq, logHash = :hash',
              ConditionExpression: 'logSeq = :prevSeq',
              ExpressionAttributeValues: { ':seq': e.seq, ':hash': e.hash, ':prevSeq': meta.logSeq },
            },
          },
          putLog(this.t, a, e),
        );
      }
      const forst = items.length;
      items.push(...extra);
      try {
        await this.t.db.send(new TransactWriteCommand({ TransactItems: items }));
        return entry;
      } catch (err) {
        const codes = cancellationCodes(err);
        if (!codes && !isTransientConflict(err)) throw err;
        if (codes?.slice(forst).includes('ConditionalCheckFailed')) throw new ExtraFailed();
        await backoff(attempt);
      }
    }
    throw new DiariumConflictError('Kunde inte skriva i insatsregistrets logg');
  }
}

class ExtraFailed extends Error {
  override name = 'ExtraFailed';
}
