import { SESv2Client } from '@aws-sdk/client-sesv2';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, mailOptions, schemas, type ConfigRecord } from '../runtime/config.js';
import { awsClientConfig, credentialsOf } from '../runtime/aws-clients.js';
import { buildGranskningDeps } from '../runtime/granskning-deps.js';
import { expedierande } from '../runtime/expediering.js';
import { domainLog, makeLogger } from '../runtime/logger.js';
import { SesMailSender } from '../adapters/ses-mail-sender.js';
import { S3SignedWriter } from '../adapters/s3-signed-requests.js';
import type { GranskningDeps } from '../../domain/granskning/use-cases.js';

/** granskning-finalize's adapters, from its config record (the Lambda environment on AWS). */
export function buildDeps(env: ConfigRecord): GranskningDeps {
  const config = loadConfig(schemas.finalize, env);
  const ses = tracer.captureAWSv3Client(new SESv2Client(awsClientConfig(config, 'SESV2')));
  // The decision document is filed next to the handlingar's other files.
  const documents = new S3SignedWriter(
    config.INBOUND_BUCKET,
    config.AWS_REGION,
    config.AWS_ENDPOINT_URL_S3,
    { days: config.RETENTION_DAYS },
    credentialsOf(config),
  );
  const deps = buildGranskningDeps(config, { documents });
  // The decision notice to the insatsägare is kept as an expedierad handling.
  const mailer = expedierande(new SesMailSender(ses, mailOptions(config)), {
    registry: deps.diarium,
    documents,
    log: domainLog(makeLogger('granskning-finalize', config)),
    config,
  });
  return { ...deps, mailer };
}
