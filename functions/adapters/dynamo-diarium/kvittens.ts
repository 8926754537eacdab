import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { HANDELSE } from '../../../domain/diarium/audit.js';
import type { KvittensClaims, MailSlag } from '../../../domain/diarium/ports.js';
import { HandlingNotFoundError } from '../../../domain/diarium/errors.js';
import { keys, splitHandlingsnummer } from '../dynamo-keys.js';
import { ExtraConditionFailed, type DynamoArendeLog } from './audit-log.js';
import type { DiariumTable } from './table.js';
import { OKANT_MEDDELANDE, putSentMail } from './skickade-mail.js';

export const KVITTENS_CLAIM_MS = 2 * 60_000;

/** The kvittens claim lives on the handling item (`kvittensClaim`); the sent kvittens is logged in the ärende. */
export class DynamoKvittensClaims implements KvittensClaims {
  constructor(
    private readonly t: DiariumTable,
    private readonly log: DynamoArendeLog,
  ) {}

  async claimKvittens(diarienummer: string, nu: string): Promise<boolean> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) throw new HandlingNotFoundError(diarienummer);
    // A claim older than two minutes belongs to an invocation that died before sending (an SES call takes seconds).
    const stale = new Date(Date.parse(nu) - KVITTENS_CLAIM_MS).toISOString();
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.table,
          Key: keys.handling(parts.arende, parts.handling),
          UpdateExpression: 'SET kvittensClaim = :nu',
          ConditionExpression:
            'attribute_exists(pk) AND kvittens = :null AND (attribute_not_exists(kvittensClaim) OR kvittensClaim < :stale)',
          ExpressionAttributeValues: { ':nu': nu, ':null': null, ':stale': stale },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** The kvittens and its log entry in one transaction: a crash cannot leave one without the other. */
  async markKvittens(
    diarienummer: string,
    kvittens: { skickad: string; meddelandeId: string },
    mail?: { slag: MailSlag; mottagare: string[] },
  ): Promise<void> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) throw new HandlingNotFoundError(diarienummer);
    try {
      await this.log.withLog(
        parts.arende,
        {
          handelse: HANDELSE.kvittensSkickad,
          av: 'system',
          data: { handling: diarienummer, meddelandeId: kvittens.meddelandeId },
        },
        [
          {
            Update: {
              TableName: this.t.table,
              Key: keys.handling(parts.arende, parts.handling),
              UpdateExpression: 'SET kvittens = :k REMOVE kvittensClaim',
              ConditionExpression: 'attribute_exists(pk) AND kvittens = :null',
              ExpressionAttributeValues: { ':k': kvittens, ':null': null },
            },
          },
          // SES always names the message; 'okant' (no id returned) would be one lookup shared by many mails.
          ...(mail && kvittens.meddelandeId !== OKANT_MEDDELANDE
            ? [
                putSentMail(this.t, {
                  meddelandeId: kvittens.meddelandeId,
                  diarienummer,
                  slag: mail.slag,
                  mottagare: mail.mottagare,
                  skickad: kvittens.skickad,
                }),
              ]
            : []),
        ],
      );
    } catch (err) {
      // Already marked (a retry after the first mark): nothing to do.
      if (!(err instanceof ExtraConditionFailed)) throw err;
    }
  }

  async releaseKvittens(diarienummer: string): Promise<void> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) return;
    await this.t.db
      .send(
        new UpdateCommand({
          TableName: this.t.table,
          Key: keys.handling(parts.arende, parts.handling),
          UpdateExpression: 'REMOVE kvittensClaim',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      )
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }
}
