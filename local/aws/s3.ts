import path from 'node:path';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.js';
import type { Defer } from './lifecycle.js';
import { waitFor, type Reservation } from './ports.js';

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
  onObjectEvent(cb: (records: S3Record[]) => void): void;
}

/** s3rver on disk with the inbound bucket; its object events feed the same path as S3's EventBridge events. */
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
  const { port } = opts.reservation;
  await opts.reservation.release();
  const s3rver = new S3rver({
    port,
    address: '127.0.0.1',
    directory: path.join(opts.dataDir, 's3'),
    silent: true,
    configureBuckets: [{ name: BUCKET }],
  });
  await s3rver.run();
  opts.defer(() => s3rver.close());
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
    onObjectEvent: (cb) => s3rver.on('event', (e) => cb(e.Records)),
  };
}
