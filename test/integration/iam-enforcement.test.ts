import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { makeS3Client } from '../../functions/adapters/s3-document-store.js';
import { awsClientConfig } from '../../functions/runtime/aws-clients.js';
import { withoutGrant } from '../../local/aws/iam/templates.js';
import { startLocalStack, type LocalStack } from '../../local/aws/stack.js';
import { outbox, sendMail, waitFor, waitForOutcome } from '../support/local-helpers.js';

// The local stack enforces each function's synthesized role (local/aws/iam): a grant the CDK app forgets
// fails here as on AWS, with the service's AccessDenied, instead of on the first deployment.
let stack: LocalStack | undefined;
const logged: string[] = [];

afterAll(async () => {
  await stack?.stop();
});

describe('a grant missing from a role', () => {
  it("fails ingest's read with AccessDenied; the message is retried, parked, and nothing is lost", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rapportflode-iam-'));
    stack = await startLocalStack({
      dataDir,
      ports: { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
      // The app as if ingest's s3:GetObject on raw/ had been forgotten.
      iamTemplates: (t) => withoutGrant(t, 'ingest', 's3:GetObject'),
      log: (_level, m) => logged.push(m),
    });
    const from = 'iris.iam@exempelby.example';
    const key = await sendMail(stack, {
      from,
      subject: 'Slutrapport Behörighetsprov',
      text: 'Slutrapport för insatsen Behörighetsprov. Målgrupp: unga vuxna. Resultat: 12 av 20 i arbete.',
    });

    // The SDK's own error class, as ingest's role would get it from S3.
    const asIngest = makeS3Client(awsClientConfig(stack.configFor('ingest'), 'S3'));
    await expect(
      asIngest.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key })),
    ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });

    // SQS redelivers with backoff; after the last attempt the message is in the dead-letter queue.
    const dlq = path.join(dataDir, 'ingest-dlq.jsonl');
    await waitFor(() => Promise.resolve(existsSync(dlq) && readFileSync(dlq, 'utf8').includes(key)), 60_000);
    const denied = stack.iam!.denied().filter((c) => c.fnId === 'ingest');
    expect(denied.length).toBeGreaterThanOrEqual(5);
    expect(denied[0]).toMatchObject({
      action: 's3:GetObject',
      resource: `arn:aws:s3:::${stack.bucket}/${key}`,
    });
    expect(logged.some((m) => m.includes('is not authorized to perform: s3:GetObject'))).toBe(true);
    expect(stack.outcomes.has(key)).toBe(false);
    expect((await outbox(stack)).filter((m) => m.destination.to.includes(from))).toEqual([]);

    // Nothing lost: the mail is still in the bucket. With the grant back (the next deployment), reprocessing
    // it (a redrive) registers it and answers the sender.
    const admin = makeS3Client(stack.clientConfig('S3'));
    const raw = await (
      await admin.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }))
    ).Body!.transformToByteArray();
    const ports = stack.ports;
    await stack.stop();
    stack = await startLocalStack({ dataDir, ports, log: (_level, m) => logged.push(m) });
    const fixed = makeS3Client(stack.clientConfig('S3'));
    await fixed.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: raw }));
    const outcome = await waitForOutcome(stack, key);
    expect(outcome.diarienummer).toMatch(/^SFG \d{2}-\d+\.1$/);
    // The sender's answer (here: what is missing from the mail) names the registration.
    const answer = await waitFor(async () =>
      (await outbox(stack!)).find((m) => m.destination.to.includes(from)),
    );
    expect(answer.body.text).toContain(outcome.diarienummer);
    expect(stack.iam!.denied()).toEqual([]);
  }, 180_000);
});
