import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, mailOptions, schemas, type ConfigRecord } from '../runtime/config.js';
import { awsClientConfig } from '../runtime/aws-clients.js';
import { countMetric } from '../runtime/metrics.js';
import { makeDocumentClient } from '../adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../adapters/dynamo-diarium/repository.js';
import { S3DocumentStore, makeS3Client } from '../adapters/s3-document-store.js';
import { SesMailSender } from '../adapters/ses-mail-sender.js';
import { AppEventPublisher, eventBridgeSink, type EventSink } from '../adapters/eventbridge-publisher.js';
import { reportExtractor } from '../extraction/report-extractor.js';
import { domainLog, makeLogger } from '../runtime/logger.js';
import { expedierande } from '../runtime/expediering.js';
import type { IngestDeps } from '../../domain/ingest/process-incoming.js';

/** `Rapportflöde <noreply@…>` or a bare address: the address. */
function addressOf(mailbox: string): string {
  return (/<([^<>]+)>/.exec(mailbox)?.[1] ?? mailbox).trim().toLowerCase();
}

/** The ingest's adapters, from its config record (the Lambda environment on AWS). */
export function buildDeps(env: ConfigRecord, sink?: EventSink): IngestDeps {
  const config = loadConfig(schemas.ingest, env);
  const repo = new DynamoDiariumRepository(makeDocumentClient(awsClientConfig(config, 'DYNAMODB')), {
    tableName: config.TABLE_NAME,
    serie: config.DIARIUM_SERIE,
  });
  const ses = new SESv2Client(awsClientConfig(config, 'SESV2'));
  const store = new S3DocumentStore(makeS3Client(awsClientConfig(config, 'S3')), config.INBOUND_BUCKET, {
    days: config.RETENTION_DAYS,
  });
  const log = domainLog(makeLogger('ingest', config));
  const eventBridge = () => new EventBridgeClient(awsClientConfig(config, 'EVENTBRIDGE'));
  return {
    repo,
    store,
    // The kvittens and the komplettering request are kept as expedierade handlingar.
    mailer: expedierande(new SesMailSender(tracer.captureAWSv3Client(ses), mailOptions(config)), {
      registry: repo,
      documents: store,
      log,
      config,
    }),
    events: new AppEventPublisher(
      sink ?? eventBridgeSink(tracer.captureAWSv3Client(eventBridge()), config.EVENT_BUS_NAME),
    ),
    extractor: reportExtractor,
    config: {
      serie: config.DIARIUM_SERIE,
      kansliEmail: config.KANSLI_EMAIL,
      // Our own sender and receiving addresses: mail from them is never answered (no loops).
      egnaAdresser: [addressOf(config.MAIL_FROM), config.MAIL_REPLY_TO],
    },
    clock: () => new Date(),
    log,
    metric: countMetric(config),
  };
}
