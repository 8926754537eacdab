import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { makeLogger } from '../runtime/logger.js';
import { tracer } from '../runtime/tracer.js';
import { buildDeps } from './deps.js';
import { makeHandler } from './make-handler.js';

export const handler = makeHandler(buildDeps(process.env))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(makeLogger('kansli')));
