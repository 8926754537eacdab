import { SFNClient } from '@aws-sdk/client-sfn';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, schemas } from '../runtime/config.js';
import { SfnWorkflow } from '../adapters/sfn-workflow.js';
import { domainLog, makeLogger } from '../runtime/logger.js';
import { makeHandler } from './make-handler.js';

const config = loadConfig(schemas.startGranskning);
const logger = makeLogger('start-granskning');
export const handler = makeHandler({
  workflow: new SfnWorkflow(tracer.captureAWSv3Client(new SFNClient({})), config.STATE_MACHINE_ARN),
  log: domainLog(logger),
}).use(injectLambdaContext(logger));
