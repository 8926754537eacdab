import {
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectRetentionCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  PutObjectRetentionCommand,
  S3Client,
  NoSuchKey,
} from '@aws-sdk/client-s3';
import { tracer } from '../runtime/tracer.js';
import type { AwsClientConfig } from '../runtime/aws-clients.js';
import type { DocumentReader, StoredObject } from '../../domain/diarium/ports.js';
import type {
  Arkiv,
  ArkivDokument,
  DocumentArchive,
  Inkorg,
  ObjectRef,
} from '../../domain/document-archive.js';
import { ObjectNotFoundError, StorageError } from '../../domain/diarium/errors.js';
import { INKORG_PREFIX, arkivKey, inkorgOf, isSesSetupNotification } from '../../events/storage-layout.js';
import { LOCK_MODE, checksumSha256, retainUntil, type RetentionPolicy } from './s3-retention.js';

export function makeS3Client(aws: AwsClientConfig = {}): S3Client {
  return tracer.captureAWSv3Client(
    new S3Client({
      ...aws,
      // Path style works on AWS and on local S3 servers; checksums only when required, or s3rver stores chunk framing.
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  );
}

/** Reads, files and retains records in the inbound bucket; reviewer links are signed by S3LinkSigner instead. */
export class S3DocumentStore implements DocumentReader, DocumentArchive {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    /** Without it the store only reads (the kansli's CLI): writes and retain refuse, nothing unlocked is stored. */
    private readonly retention?: RetentionPolicy,
  ) {}

  private policy(key: string): RetentionPolicy {
    if (!this.retention) throw new StorageError(`Ingen bevarandetid konfigurerad; lagrar inte ${key}`);
    return this.retention;
  }

  async get(key: string, versionId?: string | null): Promise<StoredObject> {
    try {
      const r = await this.s3.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(versionId ? { VersionId: versionId } : {}),
        }),
      );
      if (!r.Body) throw new StorageError(`Tomt objekt: ${key}`);
      return { bytes: await r.Body.transformToByteArray(), key, versionId: r.VersionId ?? null };
    } catch (err) {
      // A delete marker answers 404 NoSuchKey (or NoSuchVersion for a version id that is gone).
      if (err instanceof NoSuchKey || (err instanceof Error && err.name === 'NoSuchVersion'))
        throw new ObjectNotFoundError(`Objektet finns inte: ${key}`);
      throw err;
    }
  }

  async put(
    key: string,
    bytes: Uint8Array,
    contentType: string,
    metadata: Record<string, string> = {},
  ): Promise<void> {
    // Keys are content-addressed: if the object exists it already holds these bytes. A conditional put
    // (If-None-Match) keeps retries from piling up versions, and needs no s3:ListBucket to tell "missing" from "denied".
    const policy = this.policy(key);
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentType: contentType,
          Metadata: metadata,
          IfNoneMatch: '*',
          ObjectLockMode: LOCK_MODE,
          ObjectLockRetainUntilDate: retainUntil(policy),
          // S3 requires a checksum with Object Lock parameters; given here, so the SDK computes none itself.
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: checksumSha256(bytes),
        }),
      );
    } catch (err) {
      if (
        err instanceof Error &&
        (err.name === 'PreconditionFailed' || err.name === 'ConditionalRequestConflict')
      )
        return;
      throw new StorageError(`Kunde inte lagra ${key}`, { cause: err });
    }
  }

  async file(arkiv: Arkiv, d: ArkivDokument): Promise<string> {
    const key = arkivKey(arkiv, d.sha256, d.filnamn);
    await this.put(key, d.bytes, d.contentType, { sha256: d.sha256 });
    return key;
  }

  async retain(object: ObjectRef): Promise<void> {
    const until = retainUntil(this.policy(object.key));
    const version = object.versionId === null ? {} : { VersionId: object.versionId };
    try {
      const current = await this.currentRetention(object);
      // Governance retention can be extended but not shortened (that needs the bypass the bucket policy denies).
      if (current !== null && current.getTime() >= until.getTime()) return;
      await this.s3.send(
        new PutObjectRetentionCommand({
          Bucket: this.bucket,
          Key: object.key,
          ...version,
          Retention: { Mode: LOCK_MODE, RetainUntilDate: until },
        }),
      );
    } catch (err) {
      if (err instanceof StorageError) throw err;
      throw new StorageError(`Kunde inte sätta bevarandetid på ${object.key}`, { cause: err });
    }
  }

  /** The object's retain-until date, or null when it has none. */
  private async currentRetention(object: ObjectRef): Promise<Date | null> {
    try {
      const r = await this.s3.send(
        new GetObjectRetentionCommand({
          Bucket: this.bucket,
          Key: object.key,
          ...(object.versionId === null ? {} : { VersionId: object.versionId }),
        }),
      );
      return r.Retention?.RetainUntilDate ?? null;
    } catch (err) {
      if (err instanceof Error && err.name === 'NoSuchObjectLockConfiguration') return null;
      throw err;
    }
  }

  listIncoming(inkorg: Inkorg): Promise<{ key: string; lastModified: string }[]> {
    // SES's setup object is no handling: reconciliation must not re-drive it every hour.
    return this.list(INKORG_PREFIX[inkorg]).then((os) => os.filter((o) => !isSesSetupNotification(o.key)));
  }

  async removeIncoming(key: string): Promise<void> {
    // Only an inbox is ever drained: a filed record is never the target of a delete, whatever the caller passes.
    if (inkorgOf(key) === null) throw new StorageError(`Inte en inkorg; tar inte bort ${key}`);
    try {
      // No VersionId: on the versioned (Object Lock) bucket this adds a delete marker and the version stays.
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      throw new StorageError(`Kunde inte ta ut ${key} ur inkorgen`, { cause: err });
    }
  }

  private async list(prefix: string): Promise<{ key: string; lastModified: string }[]> {
    const out: { key: string; lastModified: string }[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.s3 },
      { Bucket: this.bucket, Prefix: prefix },
    )) {
      for (const o of page.Contents ?? []) {
        if (o.Key) out.push({ key: o.Key, lastModified: (o.LastModified ?? new Date(0)).toISOString() });
      }
    }
    return out;
  }
}
