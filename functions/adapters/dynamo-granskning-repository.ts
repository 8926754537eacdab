import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { beslutSchema } from '../../events/granskning.js';
import type { GranskningRepository, RecordBeslutResult } from '../../domain/granskning/ports.js';
import type { Beslut, Granskning, Lank, Slututfall, Steg, Utfall } from '../../domain/granskning/types.js';
import { keys } from './dynamo-keys.js';

const granskningSchema = z.object({
  id: z.string(),
  handling: z.string(),
  arende: z.string(),
  status: z.enum(['pagar', 'avgjord']),
  startad: z.string(),
  steg: z.enum(['notifiera', 'paminn', 'eskalera']),
  utfall: z.enum(['godkand', 'komplettering', 'inget-beslut', 'ersatt']).nullable(),
  avgjord: z.string().nullable(),
  granskare: z.array(
    z.object({ id: z.string(), namn: z.string(), epost: z.string(), organisation: z.string() }),
  ),
  version: z.number().int().nonnegative().optional(),
  utfort: z
    .set(z.string())
    .optional()
    .transform((v) => (v ? [...v].sort() : undefined)),
});

const lankSchema = z.object({
  hash: z.string(),
  granskningId: z.string(),
  granskareId: z.string(),
  namn: z.string(),
  organisation: z.string(),
  giltigTill: z.string(),
  csrf: z.string(),
  anvand: z.string().nullable(),
});

export class DynamoGranskningRepository implements GranskningRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(g: Granskning, taskToken: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.granskning(g.id),
            typ: 'granskning',
            ...g,
            taskToken,
            gsi1pk: 'GRANSKNING#PAGAR',
            gsi1sk: g.startad,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async get(id: string): Promise<Granskning | null> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.granskning(id), ConsistentRead: true }),
    );
    return r.Item ? granskningSchema.parse(r.Item) : null;
  }

  async setTaskToken(id: string, token: string, steg: Steg): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.granskning(id),
        UpdateExpression: 'SET taskToken = :t, steg = :s',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':t': token, ':s': steg },
      }),
    );
  }

  async getTaskToken(id: string): Promise<string | null> {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.granskning(id),
        ConsistentRead: true,
        ProjectionExpression: 'taskToken',
      }),
    );
    const t: unknown = r.Item?.['taskToken'];
    return typeof t === 'string' ? t : null;
  }

  /**
   * The link and its slot in one transaction, each conditional: the slot (granskning, step, member) is created
   * once, or moved from `ersatter` to the new link while the old link is revoked (expired now, so it shows as
   * such) on condition that it is unused.
   */
  async putMemberLink(
    steg: string,
    lank: Lank,
    ttlEpochSeconds: number,
    ersatter: string | null,
  ): Promise<{ typ: 'skapad' } | { typ: 'finns'; hash: string } | { typ: 'anvand' }> {
    const slot = keys.lankPlats(lank.granskningId, steg, lank.granskareId);
    const putLink = {
      Put: {
        TableName: this.table,
        Item: { ...keys.lank(lank.hash), typ: 'lank', ...lank, ttl: ttlEpochSeconds },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    const slotItem = { ...slot, typ: 'lankplats', hash: lank.hash, ttl: ttlEpochSeconds };
    const items = ersatter
      ? [
          putLink,
          {
            Put: {
              TableName: this.table,
              Item: slotItem,
              ConditionExpression: '#h = :gammal',
              ExpressionAttributeNames: { '#h': 'hash' },
              ExpressionAttributeValues: { ':gammal': ersatter },
            },
          },
          {
            Update: {
              TableName: this.table,
              Key: keys.lank(ersatter),
              UpdateExpression: 'SET giltigTill = :nu',
              // Used means the member answered. (attribute_exists: an Update must not create a stub item; a link
              // already removed by its TTL belongs to a granskning long over.)
              ConditionExpression: 'attribute_exists(pk) AND anvand = :null',
              ExpressionAttributeValues: { ':nu': new Date(0).toISOString(), ':null': null },
            },
          },
        ]
      : [
          putLink,
          { Put: { TableName: this.table, Item: slotItem, ConditionExpression: 'attribute_not_exists(pk)' } },
        ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return { typ: 'skapad' };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [, slotReason, oldReason] = (err.CancellationReasons ?? []).map((r) => r.Code);
      if (oldReason === 'ConditionalCheckFailed') return { typ: 'anvand' };
      if (slotReason !== 'ConditionalCheckFailed') throw err;
      const r = await this.db.send(
        new GetCommand({ TableName: this.table, Key: slot, ConsistentRead: true }),
      );
      const hash: unknown = r.Item?.['hash'];
      if (typeof hash !== 'string') throw err;
      return { typ: 'finns', hash };
    }
  }

  async getLink(hash: string): Promise<Lank | null> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.lank(hash), ConsistentRead: true }),
    );
    return r.Item ? lankSchema.parse(r.Item) : null;
  }

  /**
   * One transaction: the link used, the answer stored, and the granskning item moved from `version` to the next
   * (and, when the rule decides with this answer, closed). Every answer writes the granskning item, so two answers
   * posted at the same moment are serialised there: the second sees a new version and is evaluated again.
   */
  async recordBeslut(
    link: Lank,
    beslut: Beslut,
    nu: string,
    vid: { version: number; avgjort: Utfall | null },
  ): Promise<RecordBeslutResult> {
    const versionCondition = vid.version === 0 ? 'attribute_not_exists(version)' : 'version = :v';
    const granskningUpdate = vid.avgjort
      ? {
          // Leaving the sparse index removes it from the list of open granskningar; the task token stays for the
          // caller to hand the outcome to the workflow.
          UpdateExpression:
            'SET version = :v1, #s = :avgjord, utfall = :u, avgjord = :nu REMOVE gsi1pk, gsi1sk',
          values: { ':avgjord': 'avgjord', ':u': vid.avgjort, ':nu': nu },
        }
      : { UpdateExpression: 'SET version = :v1', values: {} };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.lank(link.hash),
                UpdateExpression: 'SET anvand = :nu',
                ConditionExpression: 'attribute_exists(pk) AND anvand = :null AND giltigTill > :nu',
                ExpressionAttributeValues: { ':nu': nu, ':null': null },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: keys.granskning(link.granskningId),
                UpdateExpression: granskningUpdate.UpdateExpression,
                ConditionExpression: `attribute_exists(pk) AND #s = :pagar AND ${versionCondition}`,
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: {
                  ':pagar': 'pagar',
                  ':v1': vid.version + 1,
                  ...(vid.version === 0 ? {} : { ':v': vid.version }),
                  ...granskningUpdate.values,
                },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.beslut(beslut.granskningId, beslut.granskareId), typ: 'beslut', ...beslut },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return { ok: true };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [lank, granskning, dup] = (err.CancellationReasons ?? []).map((r) => r.Code);
      if (lank === 'ConditionalCheckFailed' || dup === 'ConditionalCheckFailed') {
        const current = await this.getLink(link.hash);
        if (current && !current.anvand && dup !== 'ConditionalCheckFailed')
          return { ok: false, orsak: 'utgangen' };
        const tidigare =
          (await this.listBeslut(link.granskningId)).find((b) => b.granskareId === link.granskareId) ?? null;
        return { ok: false, orsak: 'redan-besvarad', tidigare };
      }
      if (granskning === 'ConditionalCheckFailed') {
        const g = await this.get(link.granskningId);
        if (!g) return { ok: false, orsak: 'saknas' };
        return { ok: false, orsak: g.status === 'pagar' ? 'andrad' : 'avslutad' };
      }
      // Two answers in the same instant: DynamoDB cancels one with a TransactionConflict; evaluate again.
      if ((err.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict'))
        return { ok: false, orsak: 'andrad' };
      throw err;
    }
  }

  async listBeslut(granskningId: string): Promise<Beslut[]> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :b)',
        ExpressionAttributeValues: { ':pk': `GRANSKNING#${granskningId}`, ':b': 'B#' },
        ConsistentRead: true,
      }),
    );
    return (r.Items ?? []).map((i) => beslutSchema.parse(i));
  }

  async close(
    id: string,
    utfall: Slututfall,
    nu: string,
  ): Promise<{ stangd: boolean; taskToken: string | null }> {
    try {
      const r = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.granskning(id),
          // Leaving the sparse index removes it from the list of open granskningar.
          UpdateExpression: 'SET #s = :avgjord, utfall = :u, avgjord = :nu REMOVE gsi1pk, gsi1sk, taskToken',
          ConditionExpression: '#s = :pagar',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':avgjord': 'avgjord', ':pagar': 'pagar', ':u': utfall, ':nu': nu },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const token: unknown = r.Attributes?.['taskToken'];
      return { stangd: true, taskToken: typeof token === 'string' ? token : null };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return { stangd: false, taskToken: null };
      throw err;
    }
  }

  async markUtfort(id: string, steg: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.granskning(id),
          UpdateExpression: 'ADD utfort :s',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(utfort) OR NOT contains(utfort, :v))',
          ExpressionAttributeValues: { ':s': new Set([steg]), ':v': steg },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async listOpen(): Promise<Granskning[]> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'GRANSKNING#PAGAR' },
      }),
    );
    return (r.Items ?? []).map((i) => granskningSchema.parse(i));
  }
}
