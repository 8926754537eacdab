import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { nextEntry } from '../../../domain/diarium/audit.js';
import { DiariumConflictError, HandlingNotFoundError } from '../../../domain/diarium/errors.js';
import type { FlyttLage, FlyttPlan, HandlingFlytt } from '../../../domain/diarium/ports.js';
import type { Handling } from '../../../domain/diarium/types.js';
import { keys, splitHandlingsnummer } from '../dynamo-keys.js';
import type { DynamoArendeLog } from './audit-log.js';
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

/**
 * A move is one TransactWriteItems of eight items: both ärenden's heads (conditioned on the head read, the
 * target's handling counter too, and neither closed), an entry in each log, the stub's fields at the old number
 * (conditioned on not being moved already), the moved handling at the new number (attribute_not_exists), and
 * the diarium list's items of both numbers.
 * Both heads are read before the handling: any logged change to it after the read moves the source head and
 * fails the transaction, so the moved copy is never built from a stale handling.
 */
export class DynamoHandlingFlytt implements HandlingFlytt {
  constructor(
    private readonly t: DiariumTable,
    private readonly log: DynamoArendeLog,
  ) {}

  async flyttaHandling(
    diarienummer: string,
    tillArende: string,
    planera: (lage: FlyttLage) => FlyttPlan,
  ): Promise<{ stubb: Handling; flyttad: Handling }> {
    const parts = splitHandlingsnummer(diarienummer);
    if (!parts) throw new HandlingNotFoundError(`Handlingen ${diarienummer} finns inte i diariet.`);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [franMeta, tillMeta] = await Promise.all([
        getArendeItem(this.t, parts.arende),
        getArendeItem(this.t, tillArende),
      ]);
      if (!franMeta) throw new HandlingNotFoundError(`Ärendet ${parts.arende} finns inte i diariet.`);
      if (!tillMeta) throw new HandlingNotFoundError(`Ärendet ${tillArende} finns inte i diariet.`);
      const handling = await getHandling(this.t, diarienummer);
      if (!handling) throw new HandlingNotFoundError(`Handlingen ${diarienummer} finns inte i diariet.`);
      const { logSeq: franSeq, logHash: franHash, ...fran } = franMeta;
      const { logSeq: tillSeq, logHash: tillHash, ...till } = tillMeta;
      const handlingsnummer = till.antalHandlingar + 1;
      const tidpunkt = this.t.now();
      const plan = planera({
        handling,
        fran,
        till,
        handlingsnummer,
        nyttNummer: `${till.diarienummer}.${handlingsnummer}`,
        tidpunkt,
      });
      const franEntry = nextEntry({ seq: franSeq, hash: franHash }, plan.franLogg, tidpunkt);
      const tillEntry = nextEntry({ seq: tillSeq, hash: tillHash }, plan.tillLogg, tidpunkt);
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const sets = Object.entries(plan.stubb).map(([k, v], i) => {
        names[`#f${i}`] = k;
        values[`:f${i}`] = v;
        return `#f${i} = :f${i}`;
      });
      const serie = till.diarienummer.split(' ')[0] ?? '';
      const items: TransactItem[] = [
        {
          Update: {
            TableName: this.t.table,
            Key: keys.arende(fran.diarienummer),
            UpdateExpression: 'SET logSeq = :seq, logHash = :hash',
            ConditionExpression: 'logSeq = :prevSeq AND #status <> :avslutat',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':seq': franEntry.seq,
              ':hash': franEntry.hash,
              ':prevSeq': franSeq,
              ':avslutat': 'avslutat',
            },
          },
        },
        putLog(this.t, fran.diarienummer, franEntry),
        {
          Update: {
            TableName: this.t.table,
            Key: keys.handling(parts.arende, parts.handling),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(flyttad)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        {
          Update: {
            TableName: this.t.table,
            Key: keys.arende(till.diarienummer),
            UpdateExpression: 'SET antalHandlingar = :n, logSeq = :seq, logHash = :hash',
            ConditionExpression: 'antalHandlingar = :prev AND logSeq = :prevSeq AND #status <> :avslutat',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':n': handlingsnummer,
              ':prev': till.antalHandlingar,
              ':seq': tillEntry.seq,
              ':hash': tillEntry.hash,
              ':prevSeq': tillSeq,
              ':avslutat': 'avslutat',
            },
          },
        },
        putLog(this.t, till.diarienummer, tillEntry),
        {
          Put: {
            TableName: this.t.table,
            Item: {
              ...keys.handling(till.diarienummer, handlingsnummer),
              typ: 'handling',
              ...plan.flyttad,
              ...gsi2(serie, plan.flyttad),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        // The diarium list's lines of both numbers, in the same transaction as every other handling change.
        listradItem(this.t, { ...handling, ...plan.stubb }, fran.insatsId),
        listradItem(this.t, plan.flyttad, till.insatsId),
      ];
      try {
        await this.t.db.send(new TransactWriteCommand({ TransactItems: items }));
        this.log.rememberLogHead(fran.diarienummer, franEntry);
        this.log.rememberLogHead(till.diarienummer, tillEntry);
        return { stubb: { ...handling, ...plan.stubb }, flyttad: plan.flyttad };
      } catch (err) {
        // Another writer moved a head, took the number, closed an ärende or moved the handling: read again,
        // and let `planera` decide on what is there now.
        if (!cancellationCodes(err) && !isTransientConflict(err)) throw err;
        await backoff(attempt);
      }
    }
    throw new DiariumConflictError(`Kunde inte flytta ${diarienummer}: för många samtidiga ändringar.`);
  }
}
