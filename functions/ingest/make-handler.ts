import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { tracer } from '../runtime/tracer.js';
import type { SQSBatchResponse } from 'aws-lambda';
import * as z from 'zod';
import {
  processIncoming,
  type IncomingObject,
  type IngestDeps,
  type IngestOutcome,
} from '../../domain/ingest/process-incoming.js';
import { lasInHandling } from '../../domain/ingest/las-in.js';
import { decodeS3Key, ingestSqsEventSchema, type S3ObjectCreated } from '../../events/s3-object-created.js';
import { ingestMessageSchema, isLasningBegard } from '../../events/handling-lasning-begard.js';
import { inkorgOf, isSesSetupNotification } from '../../events/storage-layout.js';

/** What arrived, read off the storage layout: the domain is told mail or upload, it never looks at the key. */
export function incomingObject(s3: S3ObjectCreated): IncomingObject {
  const key = decodeS3Key(s3.detail.object.key);
  const base = {
    bucket: s3.detail.bucket.name,
    key,
    versionId: s3.detail.object['version-id'] ?? null,
    eventTime: s3.time,
  };
  const inkorg = inkorgOf(key);
  // The event rule passes only the inboxes; anything else is the ingest's own output and must not loop back.
  if (!inkorg) throw new Error(`Objektet ligger inte i någon inkorg: ${key}`);
  return inkorg === 'epost'
    ? { ...base, kalla: 'epost' }
    : { ...base, kalla: 'uppladdning', filnamn: key.split('/').pop() ?? key };
}

type IngestRecord = z.infer<typeof ingestSqsEventSchema>['Records'][number];

/**
 * SQS batch of S3 "Object Created" events, and of the kansli's HandlingLasningBegard (read a paper report
 * registered by hand: the reading and its memory budget are the ingest's). A failing record is reported back alone (partial batch response),
 * so SQS redelivers just that one and, after five tries, parks it in the DLQ.
 */
export function makeHandler(deps: IngestDeps, onOutcome?: (o: IngestOutcome, key: string) => void) {
  const processRecord = async (record: IngestRecord): Promise<void> => {
    try {
      const message = ingestMessageSchema.parse(JSON.parse(record.body));
      if (isLasningBegard(message)) {
        const r = await lasInHandling(deps, { diarienummer: message.diarienummer, av: message.av });
        if (r.utfall === 'last') onOutcome?.(r.outcome, `lasning#${message.diarienummer}`);
        return;
      }
      const s3 = message;
      if (isSesSetupNotification(decodeS3Key(s3.detail.object.key))) {
        // SES's own test object from creating the receipt rule: not mail, so not a handling (and no retry).
        deps.log('info', 'SES:s uppsättningsmeddelande hoppas över', { nyckel: s3.detail.object.key });
        return;
      }
      const incoming = incomingObject(s3);
      const outcome = await processIncoming(deps, incoming);
      if (outcome) onOutcome?.(outcome, incoming.key);
    } catch (err) {
      deps.log('error', 'Kunde inte behandla inkommande objekt; försöker igen', {
        messageId: record.messageId,
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      });
      throw err;
    }
  };
  return middy(async (event: unknown): Promise<SQSBatchResponse> => {
    const batch = ingestSqsEventSchema.parse(event);
    // A processor per invocation: it keeps the batch's state, and the local stack runs invocations side by side.
    return processPartialResponse(batch, processRecord, new BatchProcessor(EventType.SQS), {
      // One record after the other, as SQS delivered them; a batch whose every record failed is answered like any
      // other (each listed as failed) rather than thrown, so the failures stay per item.
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  }).use(captureLambdaHandler(tracer, { captureResponse: false }));
}
