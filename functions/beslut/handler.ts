import { SFNClient } from '@aws-sdk/client-sfn';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, schemas } from '../runtime/config.js';
import { buildGranskningDeps } from '../runtime/granskning-deps.js';
import { S3LinkSigner } from '../adapters/s3-signed-requests.js';
import { SfnWorkflow } from '../adapters/sfn-workflow.js';
import { domainLog, makeLogger } from '../runtime/logger.js';
import { makeHandler } from './make-handler.js';

const config = loadConfig(schemas.beslut);
const logger = makeLogger('beslut');
export const handler = makeHandler({
  // beslut never mails: the workflow's later steps do.
  granskning: buildGranskningDeps(config, {
    callback: new SfnWorkflow(tracer.captureAWSv3Client(new SFNClient({})), null),
  }),
  store: new S3LinkSigner(config.INBOUND_BUCKET, config.AWS_REGION, config.AWS_ENDPOINT_URL_S3),
  log: domainLog(logger),
}).use(injectLambdaContext(logger));
