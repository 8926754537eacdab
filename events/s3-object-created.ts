import * as z from 'zod';
import type { DetailPattern } from './event-pattern.js';

export const S3_EVENT_SOURCE = 'aws.s3';
export const OBJECT_CREATED = 'Object Created';

/** S3 "Object Created" as EventBridge delivers it (bucket with EventBridge notifications on). */
export const s3ObjectCreatedSchema = z.object({
  version: z.string(),
  id: z.string(),
  'detail-type': z.literal(OBJECT_CREATED),
  source: z.literal(S3_EVENT_SOURCE),
  account: z.string(),
  time: z.iso.datetime({ offset: true }),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.object({
    version: z.string(),
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      size: z.number().int().nonnegative().optional(),
      etag: z.string().optional(),
      'version-id': z.string().optional(),
      sequencer: z.string().optional(),
    }),
    'request-id': z.string().optional(),
    requester: z.string().optional(),
    reason: z.string().optional(),
  }),
});
export type S3ObjectCreated = z.infer<typeof s3ObjectCreatedSchema>;

/**
 * The EventBridge pattern for objects created in a bucket, with the key matched by `key` (EventBridge matchers,
 * e.g. CDK's `Match.anyOf(Match.prefix(…))`). The field names are checked against the schema the ingest parses.
 */
export function objectCreatedPattern(bucketName: string, key: string[]) {
  return {
    source: [S3_EVENT_SOURCE],
    detailType: [OBJECT_CREATED],
    detail: {
      bucket: { name: [bucketName] },
      object: { key },
    } satisfies DetailPattern<S3ObjectCreated['detail']>,
  };
}

/** The SQS record the ingest Lambda receives: its body is the EventBridge event above. */
export const ingestSqsEventSchema = z.object({
  Records: z.array(
    z.object({
      messageId: z.string(),
      body: z.string(),
      attributes: z.record(z.string(), z.string()).optional(),
    }),
  ),
});

/** S3 keys are URL-encoded in events (spaces as +). */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}
