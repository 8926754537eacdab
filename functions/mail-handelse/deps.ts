import { SESv2Client } from '@aws-sdk/client-sesv2';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, mailOptions, schemas, type ConfigRecord } from '../runtime/config.js';
import { awsClientConfig } from '../runtime/aws-clients.js';
import { makeDocumentClient } from '../adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../adapters/dynamo-diarium/repository.js';
import { SesMailSender } from '../adapters/ses-mail-sender.js';
import { domainLog, makeLogger } from '../runtime/logger.js';
import type { MailHandelseDeps } from '../../domain/diarium/mail-handelse.js';

/** mail-handelse's adapters, from its config record (the Lambda environment on AWS). */
export function buildDeps(env: ConfigRecord): MailHandelseDeps {
  const config = loadConfig(schemas.mailHandelse, env);
  const diarium = new DynamoDiariumRepository(makeDocumentClient(awsClientConfig(config, 'DYNAMODB')), {
    tableName: config.TABLE_NAME,
    serie: config.DIARIUM_SERIE,
  });
  const ses = tracer.captureAWSv3Client(new SESv2Client(awsClientConfig(config, 'SESV2')));
  return {
    diarium,
    mailer: new SesMailSender(ses, mailOptions(config)),
    config: { kansliEmail: config.KANSLI_EMAIL },
    log: domainLog(makeLogger('mail-handelse', config)),
  };
}
