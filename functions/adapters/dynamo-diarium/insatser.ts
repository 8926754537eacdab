import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { InsatsRegister } from '../../../domain/diarium/ports.js';
import type { Insats } from '../../../domain/diarium/types.js';
import { boundedKeyPart, keys } from '../dynamo-keys.js';
import { insatsSchema } from './schemas.js';
import { parseItem, queryAll, type DiariumTable } from './table.js';

/** The insats register: one item per insats, listed through gsi1. */
export class DynamoInsatsRegister implements InsatsRegister {
  private insatsCache: { at: number; insatser: Insats[] } | null = null;

  constructor(private readonly t: DiariumTable) {}

  /** The register changes a few times a year; a minute's cache spares a query per incoming report. */
  async listInsatser(): Promise<Insats[]> {
    const now = Date.now();
    if (this.insatsCache && now - this.insatsCache.at < 60_000) return this.insatsCache.insatser;
    const insatser = await this.loadInsatser();
    this.insatsCache = { at: now, insatser };
    return insatser;
  }

  private async loadInsatser(): Promise<Insats[]> {
    const items = await queryAll(this.t, {
      TableName: this.t.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'INSATSREGISTER' },
    });
    return items.map((i) => parseItem(insatsSchema, i));
  }

  async putInsatser(insatser: Insats[]): Promise<void> {
    this.insatsCache = null;
    for (const insats of insatser) {
      await this.t.db.send(
        new PutCommand({
          TableName: this.t.table,
          Item: {
            ...keys.insats(insats.id),
            typ: 'insats',
            ...insats,
            gsi1pk: 'INSATSREGISTER',
            // A sort key is at most 1024 bytes; the id itself is in the item.
            gsi1sk: boundedKeyPart(insats.id),
          },
        }),
      );
    }
  }
}
