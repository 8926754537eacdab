import { SESv2Client } from '@aws-sdk/client-sesv2';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, schemas } from '../runtime/config.js';
import { buildGranskningDeps } from '../runtime/granskning-deps.js';
import { SesMailSender } from '../adapters/ses-mail-sender.js';
import { S3SignedWriter } from '../adapters/s3-signed-requests.js';
import { makeHandler } from './make-handler.js';

const config = loadConfig(schemas.finalize);
export const handler = makeHandler(
  buildGranskningDeps(config, {
    mailer: new SesMailSender(tracer.captureAWSv3Client(new SESv2Client({})), config.MAIL_FROM),
    // The decision document is filed next to the handlingar's other files.
    documents: new S3SignedWriter(config.INBOUND_BUCKET, config.AWS_REGION, config.AWS_ENDPOINT_URL_S3),
  }),
);
