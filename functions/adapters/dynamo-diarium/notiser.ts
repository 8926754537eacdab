import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { NotisClaims, NotisSlag } from '../../../domain/diarium/ports.js';
import { HandlingNotFoundError } from '../../../domain/diarium/errors.js';
import { keys, splitHandlingsnummer } from '../dynamo-keys.js';
import { KVITTENS_CLAIM_MS } from './kvittens.js';
import type { DiariumTable } from './table.js';

/** The attributes of one notice on the handling item: when it was sent, and the claim while it is being sent. */
const names = (slag: NotisSlag) => ({ '#s': `notis_${slag}`, '#c': `notisClaim_${slag}` });

/** Each kansli notice's claim and mark live on the handling item, one pair of attributes per kind. */
export class DynamoNotisClaims implements NotisClaims {
  constructor(private readonly t: DiariumTable) {}

  private key(diarienummer: string) {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) throw new HandlingNotFoundError(diarienummer);
    return keys.handling(parts.arende, parts.handling);
  }

  async claimNotis(
    diarienummer: string,
    slag: NotisSlag,
    nu: string,
  ): Promise<'tagen' | 'skickad' | 'upptagen'> {
    const Key = this.key(diarienummer);
    // As with the kvittens: a claim older than two minutes belongs to an invocation that died before sending.
    const stale = new Date(Date.parse(nu) - KVITTENS_CLAIM_MS).toISOString();
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.table,
          Key,
          UpdateExpression: 'SET #c = :nu',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(#s) AND (attribute_not_exists(#c) OR #c < :stale)',
          ExpressionAttributeNames: names(slag),
          ExpressionAttributeValues: { ':nu': nu, ':stale': stale },
        }),
      );
      return 'tagen';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    const r = await this.t.db.send(
      new GetCommand({
        TableName: this.t.table,
        Key,
        ProjectionExpression: 'pk, #s',
        ExpressionAttributeNames: { '#s': names(slag)['#s'] },
        ConsistentRead: true,
      }),
    );
    if (!r.Item) throw new HandlingNotFoundError(diarienummer);
    return typeof r.Item[`notis_${slag}`] === 'string' ? 'skickad' : 'upptagen';
  }

  async markNotis(diarienummer: string, slag: NotisSlag, skickad: string): Promise<void> {
    await this.t.db.send(
      new UpdateCommand({
        TableName: this.t.table,
        Key: this.key(diarienummer),
        UpdateExpression: 'SET #s = :skickad REMOVE #c',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names(slag),
        ExpressionAttributeValues: { ':skickad': skickad },
      }),
    );
  }

  async releaseNotis(diarienummer: string, slag: NotisSlag): Promise<void> {
    await this.t.db
      .send(
        new UpdateCommand({
          TableName: this.t.table,
          Key: this.key(diarienummer),
          UpdateExpression: 'REMOVE #c',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#c': names(slag)['#c'] },
        }),
      )
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }
}
