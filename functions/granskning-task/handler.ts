import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, schemas } from '../runtime/config.js';
import { buildGranskningDeps } from '../runtime/granskning-deps.js';
import { SesMailSender } from '../adapters/ses-mail-sender.js';
import { SfnWorkflow } from '../adapters/sfn-workflow.js';
import { makeHandler } from './make-handler.js';

const config = loadConfig(schemas.granskningTask);
export const handler = makeHandler(
  buildGranskningDeps(config, {
    mailer: new SesMailSender(tracer.captureAWSv3Client(new SESv2Client({})), config.MAIL_FROM),
    // A decision reached while the previous wait timed out is handed to the new task at once.
    callback: new SfnWorkflow(tracer.captureAWSv3Client(new SFNClient({})), null),
  }),
);
