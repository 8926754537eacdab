import path from 'node:path';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.js';
import type { Defer } from './lifecycle.js';
import { reservePort, waitFor, type Reservation } from './ports.js';
import { startObjectLockFront, type ObjectLockFront } from './s3-object-lock.js';

export const BUCKET = 'rapportflode-inbound';

/** An object notification as s3rver emits it (the S3 event-notification record). */
export interface S3Record {
  eventName: string;
  eventTime: string;
  s3: { bucket: { name: string }; object: { key: string; size: number; eTag: string; sequencer: string } };
}

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  client: S3Client;
  /** The Object Lock retention the local S3 keeps for an object (s3rver has none; see s3-object-lock.ts). */
  retention: ObjectLockFront['retention'];
  onObjectEvent(cb: (records: S3Record[]) => void): void;
}

/**
 * s3rver on disk with the inbound bucket, behind the Object Lock front on the reserved port; s3rver's object
 * events feed the same path as S3's EventBridge events.
 */
export async function startS3(opts: {
  reservation: Reservation;
  dataDir: string;
  defer: Defer;
}): Promise<LocalS3> {
  // @ts-expect-error s3rver ships no types; the shape used is declared here.
  const { default: S3rver } = (await import('s3rver')) as unknown as {
    default: new (o: Record<string, unknown>) => {
      run(): Promise<{ port: number }>;
      close(): Promise<void>;
      on(ev: 'event', cb: (e: { Records: S3Record[] }) => void): void;
    };
  };
  // s3rver on a port of its own; the reserved (public) port is the front's.
  const inner = await reservePort(undefined);
  await inner.release();
  const s3rver = new S3rver({
    port: inner.port,
    address: '127.0.0.1',
    directory: path.join(opts.dataDir, 's3'),
    silent: true,
    configureBuckets: [{ name: BUCKET }],
  });
  await s3rver.run();
  opts.defer(() => s3rver.close());
  const { port } = opts.reservation;
  await opts.reservation.release();
  const front = await startObjectLockFront({
    port,
    upstream: { host: '127.0.0.1', port: inner.port },
    dir: path.join(opts.dataDir, 's3-object-lock'),
  });
  opts.defer(() => front.close());
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: LOCAL_REGION,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  opts.defer(() => client.destroy());
  await waitFor(
    () =>
      client
        .send(new HeadBucketCommand({ Bucket: BUCKET }))
        .catch(() => client.send(new CreateBucketCommand({ Bucket: BUCKET }))),
    's3rver',
  );
  return {
    endpoint,
    bucket: BUCKET,
    client,
    retention: (bucket, key) => front.retention(bucket, key),
    onObjectEvent: (cb) => s3rver.on('event', (e) => cb(e.Records)),
  };
}
