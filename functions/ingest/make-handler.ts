import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { tracer } from '../runtime/tracer.js';
import type { SQSBatchResponse } from 'aws-lambda';
import * as z from 'zod';
import {
  processIncoming,
  type IngestDeps,
  type IngestOutcome,
} from '../../domain/ingest/process-incoming.js';
import { decodeS3Key, ingestSqsEventSchema, s3ObjectCreatedSchema } from '../../events/s3-object-created.js';

type IngestRecord = z.infer<typeof ingestSqsEventSchema>['Records'][number];

/**
 * SQS batch of S3 "Object Created" events. A failing record is reported back alone (partial batch response),
 * so SQS redelivers just that one and, after five tries, parks it in the DLQ.
 */
export function makeHandler(deps: IngestDeps, onOutcome?: (o: IngestOutcome, key: string) => void) {
  const processRecord = async (record: IngestRecord): Promise<void> => {
    try {
      const s3 = s3ObjectCreatedSchema.parse(JSON.parse(record.body));
      const key = decodeS3Key(s3.detail.object.key);
      const outcome = await processIncoming(deps, {
        bucket: s3.detail.bucket.name,
        key,
        versionId: s3.detail.object['version-id'] ?? null,
        eventTime: s3.time,
      });
      onOutcome?.(outcome, key);
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
