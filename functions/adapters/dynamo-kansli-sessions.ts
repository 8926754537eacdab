import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ROLLER } from '../../domain/kansli/roller.js';
import type { Inloggning, Session, SessionStore } from '../../domain/kansli/session.js';
import { keys } from './dynamo-keys.js';

const sessionSchema = z.object({
  person: z.object({
    sub: z.string().min(1),
    namn: z.string(),
    epost: z.string().nullable(),
    roller: z.array(z.enum(ROLLER)),
  }),
  csrf: z.string().min(16),
  skapad: z.string(),
  utgar: z.string(),
  avslutad: z.string().optional(),
});

const inloggningSchema = z.object({
  nonce: z.string().min(1),
  verifier: z.string().min(1),
  tillbaka: z.string(),
  utgar: z.string(),
});

/** DynamoDB's TTL attribute (epoch seconds); it removes lazily, so the adapter checks the expiry itself too. */
const ttl = (d: Date) => Math.ceil(d.getTime() / 1000);

/**
 * Sessions in the diarium table as TTL items. Nothing is deleted: ending a session or using a login marks it
 * (UpdateItem), which keeps DeleteItem out of the function's role; the TTL removes the item later.
 */
export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putInloggning(state: string, l: Inloggning, utgar: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.kansliInloggning(state),
          typ: 'inloggning',
          ...l,
          utgar: utgar.toISOString(),
          ttl: ttl(utgar),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async takeInloggning(state: string, nu: Date): Promise<Inloggning | null> {
    try {
      const r = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.kansliInloggning(state),
          UpdateExpression: 'SET anvand = :nu',
          // Used once: a replayed callback finds it used.
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(anvand) AND utgar > :nuIso',
          ExpressionAttributeValues: { ':nu': nu.toISOString(), ':nuIso': nu.toISOString() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const l = inloggningSchema.parse(r.Attributes ?? {});
      return { nonce: l.nonce, verifier: l.verifier, tillbaka: l.tillbaka };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return null;
      throw err;
    }
  }

  async putSession(idHash: string, s: Session): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.kansliSession(idHash), typ: 'session', ...s, ttl: ttl(new Date(s.utgar)) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getSession(idHash: string, nu: Date): Promise<Session | null> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.kansliSession(idHash), ConsistentRead: true }),
    );
    if (!r.Item) return null;
    // The schema drops the key attributes and the ttl.
    const s = sessionSchema.parse(r.Item);
    if (s.avslutad || s.utgar <= nu.toISOString()) return null;
    return { person: s.person, csrf: s.csrf, skapad: s.skapad, utgar: s.utgar };
  }

  async endSession(idHash: string, nu: Date): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.kansliSession(idHash),
          UpdateExpression: 'SET avslutad = :nu, #ttl = :ttl',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':nu': nu.toISOString(), ':ttl': ttl(nu) },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
}
