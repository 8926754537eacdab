import * as z from 'zod';

/** S3 "Object Created" as EventBridge delivers it (bucket with EventBridge notifications on). */
export const s3ObjectCreatedSchema = z.object({
  version: z.string(),
  id: z.string(),
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
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
