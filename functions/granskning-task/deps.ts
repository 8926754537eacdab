import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, mailOptions, schemas, type ConfigRecord } from '../runtime/config.js';
import { awsClientConfig, credentialsOf } from '../runtime/aws-clients.js';
import { S3SignedWriter } from '../adapters/s3-signed-requests.js';
import { expedierande } from '../runtime/expediering.js';
import { domainLog, makeLogger } from '../runtime/logger.js';
import { buildGranskningDeps } from '../runtime/granskning-deps.js';
import { SesMailSender } from '../adapters/ses-mail-sender.js';
import { SfnWorkflow } from '../adapters/sfn-workflow.js';
import type { GranskningDeps } from '../../domain/granskning/use-cases.js';

/** granskning-task's adapters, from its config record (the Lambda environment on AWS). */
export function buildDeps(env: ConfigRecord): GranskningDeps {
  const config = loadConfig(schemas.granskningTask, env);
  const ses = tracer.captureAWSv3Client(new SESv2Client(awsClientConfig(config, 'SESV2')));
  const sfn = tracer.captureAWSv3Client(new SFNClient(awsClientConfig(config, 'SFN')));
  const deps = buildGranskningDeps(config, {
    // A decision reached while the previous wait timed out is handed to the new task at once.
    callback: new SfnWorkflow(sfn, null),
  });
  // Invitations are kept as sent without their links and noted on the ärende (domain/diarium/expediering.ts).
  const mailer = expedierande(new SesMailSender(ses, mailOptions(config)), {
    registry: deps.diarium,
    documents: new S3SignedWriter(
      config.INBOUND_BUCKET,
      config.AWS_REGION,
      config.AWS_ENDPOINT_URL_S3,
      { days: config.RETENTION_DAYS },
      credentialsOf(config),
    ),
    log: domainLog(makeLogger('granskning-task', config)),
    config,
  });
  return { ...deps, mailer };
}
