import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { makeLogger } from '../runtime/logger.js';
import { buildDeps } from './deps.js';
import { makeHandler } from './make-handler.js';

export const handler = makeHandler(buildDeps(process.env)).use(injectLambdaContext(makeLogger('bevakning')));
