import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { startAwsApiServer, type LocalQueue } from './aws-api-server.js';

const received: string[] = [];
const queue: LocalQueue = (body) => {
  received.push(body);
  return `m-${received.length}`;
};
const server = await startAwsApiServer({
  port: 0,
  sfn: () => {
    throw new Error('Step Functions används inte här');
  },
  rules: () => [],
  queues: () => new Map([['http://127.0.0.1/000000000000/ingest', queue]]),
  log: () => undefined,
});
const sqs = new SQSClient({
  endpoint: `http://127.0.0.1:${server.port}`,
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});

afterAll(async () => {
  sqs.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('the SQS stand-in', () => {
  it('takes SendMessage from the real SQS client (checksum and all) into the named local queue', async () => {
    const out = await sqs.send(
      new SendMessageCommand({ QueueUrl: 'http://127.0.0.1/000000000000/ingest', MessageBody: '{"å":1}' }),
    );
    expect(out.MessageId).toBe('m-1');
    expect(received).toEqual(['{"å":1}']);
  });

  it('answers QueueDoesNotExist for a queue it does not have', async () => {
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: 'http://127.0.0.1/000000000000/annan', MessageBody: 'x' })),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });
});
