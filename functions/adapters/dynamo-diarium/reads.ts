import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DiariumReader } from '../../../domain/diarium/ports.js';
import type { Arende, AuditEntry, Handling } from '../../../domain/diarium/types.js';
import { keys } from '../dynamo-keys.js';
import { arendeSchema, auditEntrySchema, handlingSchema } from './schemas.js';
import { backoff, getHandling, insatsArende, parseItem, queryAll, type DiariumTable } from './table.js';

/** Reads and queries: every item read back is parsed with the schemas. */
export class DynamoDiariumReader implements DiariumReader {
  constructor(private readonly t: DiariumTable) {}

  getHandling(diarienummer: string): Promise<Handling | null> {
    return getHandling(this.t, diarienummer);
  }

  async getArende(diarienummer: string): Promise<Arende | null> {
    const r = await this.t.db.send(
      new GetCommand({ TableName: this.t.table, Key: keys.arende(diarienummer), ConsistentRead: true }),
    );
    return r.Item ? parseItem(arendeSchema, r.Item) : null;
  }

  async getArenden(diarienummer: string[]): Promise<Arende[]> {
    const unique = [...new Set(diarienummer)];
    const out: Arende[] = [];
    for (let i = 0; i < unique.length; i += 100) {
      let pending: Record<string, unknown>[] = unique.slice(i, i + 100).map((d) => keys.arende(d));
      for (let round = 0; pending.length > 0; round++) {
        const r = await this.t.db.send(
          new BatchGetCommand({ RequestItems: { [this.t.table]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of r.Responses?.[this.t.table] ?? []) out.push(parseItem(arendeSchema, item));
        pending = r.UnprocessedKeys?.[this.t.table]?.Keys ?? [];
        if (pending.length > 0) await backoff(round);
      }
    }
    return out;
  }

  async getArendeDetaljer(
    diarienummer: string,
  ): Promise<{ arende: Arende; handlingar: Handling[]; logg: AuditEntry[] } | null> {
    const items = await queryAll(this.t, {
      TableName: this.t.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.arende(diarienummer).pk },
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
    const claimed = await insatsArende(this.t, insatsnyckel);
    return claimed ? this.getArende(claimed) : null;
  }

  async listDiarium(franDatum: string, tillDatum: string): Promise<Handling[]> {
    const out: Handling[] = [];
    for (let year = Number(franDatum.slice(0, 4)); year <= Number(tillDatum.slice(0, 4)); year++) {
      const items = await queryAll(this.t, {
        TableName: this.t.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': `DIARIUM#${this.t.serie}#${year}`,
          ':from': franDatum,
          ':to': `${tillDatum}#~`,
        },
      });
      for (const item of items) out.push(parseItem(handlingSchema, item));
    }
    return out;
  }
}
