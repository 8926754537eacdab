import { randomUUID } from 'node:crypto';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, schemas, type ConfigRecord } from '../runtime/config.js';
import { awsClientConfig } from '../runtime/aws-clients.js';
import { countMetric } from '../runtime/metrics.js';
import { makeDocumentClient } from '../adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../adapters/dynamo-diarium/repository.js';
import { S3DocumentStore, makeS3Client } from '../adapters/s3-document-store.js';
import { domainLog, makeLogger } from '../runtime/logger.js';
import { OBJECT_CREATED, S3_EVENT_SOURCE, s3ObjectCreatedSchema } from '../../events/s3-object-created.js';
import type { makeHandler } from './make-handler.js';

/** reconcile's adapters, from its config record (the Lambda environment on AWS). */
export function buildDeps(env: ConfigRecord): Parameters<typeof makeHandler>[0] {
  const config = loadConfig(schemas.reconcile, env);
  const sqs = tracer.captureAWSv3Client(new SQSClient(awsClientConfig(config, 'SQS')));
  const repo = new DynamoDiariumRepository(makeDocumentClient(awsClientConfig(config, 'DYNAMODB')), {
    tableName: config.TABLE_NAME,
    serie: config.DIARIUM_SERIE,
  });
  return {
    store: new S3DocumentStore(makeS3Client(awsClientConfig(config, 'S3')), config.INBOUND_BUCKET, {
      days: config.RETENTION_DAYS,
    }),
    repo,
    clock: () => new Date(),
    log: domainLog(makeLogger('reconcile', config)),
    // The same event shape S3 → EventBridge delivers, so the ingest cannot tell a re-drive from the original.
    redrive: async (o) => {
      const body = s3ObjectCreatedSchema.parse({
        version: '0',
        id: randomUUID(),
        'detail-type': OBJECT_CREATED,
        source: S3_EVENT_SOURCE,
        account: '000000000000',
        time: o.lastModified,
        region: config.AWS_REGION ?? 'eu-west-1',
        resources: [],
        detail: {
          version: '0',
          bucket: { name: config.INBOUND_BUCKET },
          object: { key: o.key },
          reason: 'Avstamning',
        },
      });
      await sqs.send(
        new SendMessageCommand({ QueueUrl: config.INGEST_QUEUE_URL, MessageBody: JSON.stringify(body) }),
      );
    },
    metric: countMetric(config, 'at-end'),
  };
}
