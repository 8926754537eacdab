import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, schemas, type ConfigRecord } from '../runtime/config.js';
import { awsClientConfig, credentialsOf } from '../runtime/aws-clients.js';
import { makeDocumentClient } from '../adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../adapters/dynamo-diarium/repository.js';
import { DynamoDiariumSok } from '../adapters/dynamo-diarium/sok.js';
import { diariumTable } from '../adapters/dynamo-diarium/table.js';
import { DynamoGranskningRepository } from '../adapters/dynamo-granskning-repository.js';
import { DynamoBevakningStore } from '../adapters/dynamo-bevakning-store.js';
import { DynamoSessionStore } from '../adapters/dynamo-kansli-sessions.js';
import { AppEventPublisher, eventBridgeSink } from '../adapters/eventbridge-publisher.js';
import { S3LinkSigner, S3SignedWriter } from '../adapters/s3-signed-requests.js';
import { SqsLasningKo } from '../adapters/sqs-lasning-ko.js';
import { domainLog, makeLogger } from '../runtime/logger.js';
import type { KansliDeps } from './make-handler.js';
import { openIdClient } from './oidc.js';

/** The kansli application's adapters, from its config record (the Lambda environment on AWS). */
export function buildDeps(env: ConfigRecord): KansliDeps {
  const config = loadConfig(schemas.kansli, env);
  const db = makeDocumentClient(awsClientConfig(config, 'DYNAMODB'));
  const repo = new DynamoDiariumRepository(db, { tableName: config.TABLE_NAME, serie: config.DIARIUM_SERIE });
  const eventBridge = new EventBridgeClient(awsClientConfig(config, 'EVENTBRIDGE'));
  const base = config.KANSLI_BASE_URL.replace(/\/+$/, '');
  return {
    repo,
    sok: new DynamoDiariumSok(
      diariumTable(db, { tableName: config.TABLE_NAME, serie: config.DIARIUM_SERIE }),
    ),
    sessions: new DynamoSessionStore(db, config.TABLE_NAME),
    granskningar: new DynamoGranskningRepository(db, config.TABLE_NAME),
    links: new S3LinkSigner(
      config.INBOUND_BUCKET,
      config.AWS_REGION,
      config.AWS_ENDPOINT_URL_S3,
      credentialsOf(config),
    ),
    events: new AppEventPublisher(
      eventBridgeSink(tracer.captureAWSv3Client(eventBridge), config.EVENT_BUS_NAME),
    ),
    registrering: {
      registry: repo,
      insatser: repo,
      // A scan registered by hand is filed with its own Object Lock retention, by one signed PUT.
      documents: new S3SignedWriter(
        config.INBOUND_BUCKET,
        config.AWS_REGION,
        config.AWS_ENDPOINT_URL_S3,
        { days: config.RETENTION_DAYS },
        credentialsOf(config),
      ),
      serie: config.DIARIUM_SERIE,
    },
    // Reading a paper report is the ingest's work (OCR and its memory): the request goes on its queue.
    lasning: new SqsLasningKo(
      tracer.captureAWSv3Client(new SQSClient(awsClientConfig(config, 'SQS'))),
      config.INGEST_QUEUE_URL,
    ),
    oidc: openIdClient({
      issuer: config.OIDC_ISSUER,
      clientId: config.OIDC_CLIENT_ID,
      redirectUri: `${new URL(base).origin}/kansli/inloggad`,
    }),
    insatser: {
      register: repo.insatser,
      repo,
      bevakning: new DynamoBevakningStore(db, config.TABLE_NAME),
      rapportDagar: config.BEVAKNING_RAPPORT_DAGAR,
      serie: config.DIARIUM_SERIE,
    },
    config: { baseUrl: base, sessionSeconds: config.KANSLI_SESSION_SECONDS },
    clock: () => new Date(),
    log: domainLog(makeLogger('kansli', config)),
  };
}
