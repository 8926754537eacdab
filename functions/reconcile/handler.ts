import { randomUUID } from 'node:crypto';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, schemas } from '../runtime/config.js';
import { makeDocumentClient } from '../adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../adapters/dynamo-diarium/repository.js';
import { S3DocumentStore, makeS3Client } from '../adapters/s3-document-store.js';
import { domainLog, makeLogger } from '../runtime/logger.js';
import { s3ObjectCreatedSchema } from '../../events/s3-object-created.js';
import { makeHandler } from './make-handler.js';

const config = loadConfig(schemas.reconcile);
const sqs = tracer.captureAWSv3Client(new SQSClient({}));
const metrics = new Metrics({ namespace: 'Rapportflode' });
const logger = makeLogger('reconcile');
const repo = new DynamoDiariumRepository(makeDocumentClient(), {
  tableName: config.TABLE_NAME,
  serie: config.DIARIUM_SERIE,
});

export const handler = makeHandler({
  store: new S3DocumentStore(makeS3Client(), config.INBOUND_BUCKET),
  repo,
  clock: () => new Date(),
  log: domainLog(logger),
  // The same event shape S3 → EventBridge delivers, so the ingest cannot tell a re-drive from the original.
  redrive: async (o) => {
    const body = s3ObjectCreatedSchema.parse({
      version: '0',
      id: randomUUID(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: o.lastModified,
      region: process.env['AWS_REGION'] ?? 'eu-west-1',
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
  // Published by logMetrics when the invocation ends (every run records ReconciliationFindings).
  metric: (name, value) => {
    metrics.addMetric(name, MetricUnit.Count, value);
  },
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
