import { createHash } from 'node:crypto';

/**
 * Object Lock retention for everything the records store holds. The bucket has Object Lock enabled WITHOUT a
 * default retention (SES refuses to deliver into a bucket with one), so every write names its retention itself
 * and every object SES or the kansli writes is retained by the ingest (PutObjectRetention). Governance mode: a
 * misplaced personnummer stays erasable by the break-glass role (docs/deploy.md, "Records store").
 */
export interface RetentionPolicy {
  /** config.objectLockRetentionDays, passed to the functions as RETENTION_DAYS. */
  days: number;
  /** @default () => new Date() */
  clock?: () => Date;
}

export const LOCK_MODE = 'GOVERNANCE';

/** The retain-until date of an object written or retained now. */
export function retainUntil(policy: RetentionPolicy): Date {
  const now = (policy.clock ?? (() => new Date()))();
  return new Date(now.getTime() + policy.days * 86_400_000);
}

/**
 * The x-amz-checksum-sha256 value (base64 of the SHA-256 of the body). S3 refuses a PutObject with Object Lock
 * parameters without Content-MD5 or an x-amz-checksum-* header; computed here rather than by the SDK, whose
 * checksums are off (WHEN_REQUIRED) so s3rver does not store aws-chunked framing.
 */
export function checksumSha256(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('base64');
}
