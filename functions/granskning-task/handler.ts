import { loadConfig, schemas } from '../lib/config.js';
import { buildGranskningDeps } from '../lib/granskning-deps.js';
import { makeHandler } from './make-handler.js';

export const handler = makeHandler(buildGranskningDeps(loadConfig(schemas.granskningTask)));
