import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { BevakningState, BevakningStore } from '../../domain/bevakning/ports.js';
import { boundedKeyPart } from './dynamo-keys.js';

const pk = (nyckel: string) => `BEVAKNING#${boundedKeyPart(nyckel)}`;
const stegSk = (steg: string) => `S#${boundedKeyPart(steg)}`;
const DATUM_SK = 'DATUM';

const stegItem = z.object({
  sk: z.string().startsWith('S#'),
  steg: z.string(),
  tidpunkt: z.string(),
  aterlamnad: z.boolean().optional(),
});
const datumItem = z.object({ sk: z.literal(DATUM_SK), datum: z.string().nullable(), av: z.string() });

/** One partition per bevakning: a item per step taken (written once, conditionally) and the kansli's date. */
export class DynamoBevakningStore implements BevakningStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claimSteg(nyckel: string, steg: string, nu: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: pk(nyckel), sk: stegSk(steg), typ: 'bevakningssteg', nyckel, steg, tidpunkt: nu },
          // A step given back (its mail failed) can be taken again.
          ConditionExpression: 'attribute_not_exists(pk) OR aterlamnad = :ja',
          ExpressionAttributeValues: { ':ja': true },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async releaseSteg(nyckel: string, steg: string): Promise<void> {
    // Marked rather than deleted: the diarium's functions are not granted DeleteItem (infra/constructs/data-access.ts).
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: pk(nyckel), sk: stegSk(steg) },
        UpdateExpression: 'SET aterlamnad = :ja',
        ExpressionAttributeValues: { ':ja': true },
      }),
    );
  }

  async getBevakning(nyckel: string): Promise<BevakningState> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk(nyckel) },
        ConsistentRead: true,
      }),
    );
    const state: BevakningState = { steg: [], datum: null };
    for (const item of r.Items ?? []) {
      const s = stegItem.safeParse(item);
      if (s.success && !s.data.aterlamnad) state.steg.push({ steg: s.data.steg, tidpunkt: s.data.tidpunkt });
      const d = datumItem.safeParse(item);
      if (d.success && d.data.datum !== null) state.datum = { datum: d.data.datum, av: d.data.av };
    }
    return state;
  }

  async setDatum(nyckel: string, datum: { datum: string; av: string } | null): Promise<void> {
    const Key = { pk: pk(nyckel), sk: DATUM_SK };
    // Removing the date writes null: no DeleteItem (see releaseSteg).
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...Key, typ: 'bevakningsdatum', nyckel, ...(datum ?? { datum: null, av: '' }) },
      }),
    );
  }
}
