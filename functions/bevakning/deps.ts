import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { BevakningDeps } from '../../domain/bevakning/run-bevakning.js';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, mailOptions, schemas, type ConfigRecord } from '../runtime/config.js';
import { awsClientConfig, credentialsOf } from '../runtime/aws-clients.js';
import { S3SignedWriter } from '../adapters/s3-signed-requests.js';
import { expedierande } from '../runtime/expediering.js';
import { makeDocumentClient } from '../adapters/dynamo-client.js';
import { DynamoBevakningStore } from '../adapters/dynamo-bevakning-store.js';
import { DynamoDiariumRepository } from '../adapters/dynamo-diarium/repository.js';
import { SesMailSender } from '../adapters/ses-mail-sender.js';
import { domainLog, makeLogger } from '../runtime/logger.js';

/** bevakning's adapters, from its config record (the Lambda environment on AWS). */
export function buildDeps(env: ConfigRecord): BevakningDeps & { clock: () => Date } {
  const config = loadConfig(schemas.bevakning, env);
  const db = makeDocumentClient(awsClientConfig(config, 'DYNAMODB'));
  const repo = new DynamoDiariumRepository(db, { tableName: config.TABLE_NAME, serie: config.DIARIUM_SERIE });
  const log = domainLog(makeLogger('bevakning', config));
  const ses = tracer.captureAWSv3Client(new SESv2Client(awsClientConfig(config, 'SESV2')));
  return {
    repo,
    store: new DynamoBevakningStore(db, config.TABLE_NAME),
    // Reminders are allmänna handlingar: kept as expedierade in the ärende they concern.
    mailer: expedierande(new SesMailSender(ses, mailOptions(config)), {
      registry: repo,
      documents: new S3SignedWriter(
        config.INBOUND_BUCKET,
        config.AWS_REGION,
        config.AWS_ENDPOINT_URL_S3,
        { days: config.RETENTION_DAYS },
        credentialsOf(config),
      ),
      log,
      config,
    }),
    log,
    config: { ...config.BEVAKNING, kansliEmail: config.KANSLI_EMAIL },
    clock: () => new Date(),
  };
}
