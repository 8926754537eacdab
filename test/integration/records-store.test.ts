import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeleteObjectCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack, type LocalStack } from '../../local/aws/stack.js';
import { makeDocumentClient } from '../../functions/adapters/dynamo-client.js';
import { makeS3Client } from '../../functions/adapters/s3-document-store.js';
import { syntheticReportDocx } from '../support/synthetic-report.js';
import { sendMail, waitForOutcome } from '../support/local-helpers.js';

// The records store as the local S3 keeps it: Object Lock emulated in front of s3rver (local/aws/s3-object-lock.ts).
let stack: LocalStack;
let s3: S3Client;

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'rapportflode-records-')),
    ports: { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
    beslutPolicy: { typ: 'forsta' },
    log: () => undefined,
  });
  s3 = makeS3Client(stack.clientConfig('S3'));
});

afterAll(async () => {
  s3.destroy();
  await stack.stop();
});

describe('the records store', () => {
  it('keeps the raw mail and every file of the handling under governance retention', async () => {
    const started = Date.now();
    const docx = await syntheticReportDocx({
      insatsnamn: 'Bevarad insats',
      organisation: 'Exempelby kommun',
    });
    const key = await sendMail(stack, {
      from: 'sara.provperson@exempelby.example',
      subject: 'Slutrapport Bevarad insats',
      attachments: [{ filename: 'Slutrapport.docx', content: docx }],
    });
    await waitForOutcome(stack, key);

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: stack.bucket }));
    const keys = (listed.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
    // Filed with the handling, and taken out of the inbox (a delete marker): reconciliation lists only the backlog.
    expect(keys).not.toContain(key);
    expect(keys.some((k) => k.startsWith('handlingar/') && k.endsWith('/meddelande.eml'))).toBe(true);
    expect(keys.some((k) => k.endsWith('/Slutrapport.docx'))).toBe(true);
    await expect(s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: key }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
    // The lokal stage retains for 1 day.
    const oneDay = 86_400_000;
    for (const k of keys) {
      const { Retention } = await s3.send(new GetObjectRetentionCommand({ Bucket: stack.bucket, Key: k }));
      expect(Retention?.Mode, k).toBe('GOVERNANCE');
      const until = Retention?.RetainUntilDate?.getTime() ?? 0;
      expect(until, k).toBeGreaterThanOrEqual(started + oneDay - 1000);
      expect(until, k).toBeLessThanOrEqual(Date.now() + oneDay + 1000);
    }
    const eml = keys.find((k) => k.endsWith('/meddelande.eml')) ?? '';
    const head = await s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: eml }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    // The arrived version stays under its retention behind the delete marker: deleting it is refused.
    await expect(
      s3.send(new DeleteObjectCommand({ Bucket: stack.bucket, Key: key, VersionId: 'null' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('writes no diarium record with a ttl: only links, their slots and mail lookups expire (the table TTL is on `ttl`)', async () => {
    const db = makeDocumentClient(stack.clientConfig('DYNAMODB'));
    const { Items = [] } = await db.send(new ScanCommand({ TableName: stack.table }));
    const typer = new Set(Items.map((i) => String(i['typ'])));
    // The mail above made a handling, its ärende, log entries and counters.
    expect(typer.size).toBeGreaterThan(2);
    const expiring = Items.filter((i) => i['ttl'] !== undefined).map((i) => String(i['typ']));
    // A link and the slot that says which member it was made for are access secrets, not allmänna handlingar;
    // the SES message-id lookups are working items (the ärende's log keeps what a bounce did).
    const working = new Set(['lank', 'lankplats', 'skickadmail']);
    expect(expiring.filter((typ) => !working.has(typ))).toEqual([]);
  });

  it('refuses, like S3, a PutObject with Object Lock parameters but no checksum header', async () => {
    const put = s3.send(
      new PutObjectCommand({
        Bucket: stack.bucket,
        Key: 'handlingar/utan-kontrollsumma.txt',
        Body: 'text',
        ObjectLockMode: 'GOVERNANCE',
        ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
      }),
    );
    await expect(put).rejects.toBeInstanceOf(S3ServiceException);
    await expect(put).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: expect.stringContaining('Content-MD5 OR x-amz-checksum- HTTP header is required') as unknown,
      $metadata: { httpStatusCode: 400 },
    });
  });
});
