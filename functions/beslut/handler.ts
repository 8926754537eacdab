import { buildDeps } from './deps.js';
import { makeHandler } from './make-handler.js';

export const handler = makeHandler(buildDeps(process.env));
