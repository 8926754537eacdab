import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { makeLogger } from '../runtime/logger.js';
import { sharedMetrics } from '../runtime/metrics.js';
import { buildDeps } from './deps.js';
import { makeHandler } from './make-handler.js';

// Every run records ReconciliationFindings, so logMetrics publishes them once at the end of the invocation.
export const handler = makeHandler(buildDeps(process.env))
  .use(injectLambdaContext(makeLogger('reconcile')))
  .use(logMetrics(sharedMetrics()));
