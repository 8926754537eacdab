import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, schemas } from '../runtime/config.js';
import { makeDocumentClient } from '../adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../adapters/dynamo-diarium/repository.js';
import { S3DocumentStore, makeS3Client } from '../adapters/s3-document-store.js';
import { SesMailSender } from '../adapters/ses-mail-sender.js';
import { AppEventPublisher, eventBridgeSink, type EventSink } from '../adapters/eventbridge-publisher.js';
import { reportExtractor } from '../extraction/report-extractor.js';
import { domainLog, makeLogger } from '../runtime/logger.js';
import { makeHandler } from './make-handler.js';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { IngestDeps } from '../../domain/ingest/process-incoming.js';

const metrics = new Metrics({ namespace: 'Rapportflode' });
const logger = makeLogger('ingest');

export function buildDeps(
  env: Record<string, string | undefined> = process.env,
  sink?: EventSink,
): IngestDeps {
  const config = loadConfig(schemas.ingest, env);
  const repo = new DynamoDiariumRepository(makeDocumentClient(), {
    tableName: config.TABLE_NAME,
    serie: config.DIARIUM_SERIE,
  });
  return {
    repo,
    store: new S3DocumentStore(makeS3Client(), config.INBOUND_BUCKET),
    mailer: new SesMailSender(tracer.captureAWSv3Client(new SESv2Client({})), config.MAIL_FROM),
    events: new AppEventPublisher(
      sink ?? eventBridgeSink(tracer.captureAWSv3Client(new EventBridgeClient({})), config.EVENT_BUS_NAME),
    ),
    extractor: reportExtractor,
    config: { serie: config.DIARIUM_SERIE, kansliEmail: config.KANSLI_EMAIL },
    clock: () => new Date(),
    log: domainLog(logger),
    // Flushed at once rather than by logMetrics: that warns "No application metrics" on every invocation without
    // one, and most ingest invocations record none (only a quarantine does).
    metric: (name, value) => {
      metrics.addMetric(name, MetricUnit.Count, value);
      metrics.publishStoredMetrics();
    },
  };
}

export const handler = makeHandler(buildDeps()).use(injectLambdaContext(logger));
