import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import type { MailSlag, SkickadMail, SkickadeMail } from '../../../domain/diarium/ports.js';
import { keys } from '../dynamo-keys.js';
import type { DiariumTable, TransactItem } from './table.js';

// SES reports a bounce within days and a complaint within weeks; after half a year the lookup is expired.
const SENT_MAIL_TTL_SECONDS = 180 * 86_400;

/** What SesMailSender returns when SES gave no MessageId: not a key to find a mail by. */
export const OKANT_MEDDELANDE = 'okant';

const mailSlagSchema = z.enum([
  'kvittens',
  'kansli-avisering',
  'granskning',
  'paminnelse',
  'eskalering',
  'utfall',
]) satisfies z.ZodType<MailSlag>;

const sentMailItemSchema = z.object({
  meddelandeId: z.string(),
  diarienummer: z.string(),
  slag: mailSlagSchema,
  mottagare: z.array(z.string()),
  skickad: z.string(),
  utfort: z.array(z.string()).default([]),
});

/** The item of a sent mail; also put by markKvittens inside its own transaction. */
export function sentMailItem(mail: SkickadMail): Record<string, unknown> {
  const ttl = Math.floor(Date.parse(mail.skickad) / 1000) + SENT_MAIL_TTL_SECONDS;
  return {
    ...keys.sentMail(mail.meddelandeId),
    typ: 'skickadmail',
    ...mail,
    ...(Number.isFinite(ttl) ? { ttl } : {}),
  };
}

export function putSentMail(t: DiariumTable, mail: SkickadMail): TransactItem {
  return { Put: { TableName: t.table, Item: sentMailItem(mail) } };
}

/** SES's message id → the handling a mail concerned; `utfort` lists the handled event steps. */
export class DynamoSkickadeMail implements SkickadeMail {
  constructor(private readonly t: DiariumTable) {}

  async recordSentMail(mail: SkickadMail): Promise<void> {
    if (mail.meddelandeId === OKANT_MEDDELANDE) return;
    await this.t.db.send(new PutCommand({ TableName: this.t.table, Item: sentMailItem(mail) }));
  }

  async findSentMail(meddelandeId: string): Promise<(SkickadMail & { utfort: string[] }) | null> {
    const r = await this.t.db.send(
      new GetCommand({ TableName: this.t.table, Key: keys.sentMail(meddelandeId), ConsistentRead: true }),
    );
    if (!r.Item) return null;
    const item = sentMailItemSchema.parse(r.Item);
    // A long id is stored under its hash: the item must name the id asked for, not another one.
    return item.meddelandeId === meddelandeId ? item : null;
  }

  async markMailHandelse(meddelandeId: string, steg: string): Promise<boolean> {
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.table,
          Key: keys.sentMail(meddelandeId),
          UpdateExpression: 'SET utfort = list_append(if_not_exists(utfort, :tom), :steg)',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(utfort, :s)',
          ExpressionAttributeValues: { ':tom': [], ':steg': [steg], ':s': steg },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
