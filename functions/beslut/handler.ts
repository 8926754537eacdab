import { loadConfig, schemas } from '../lib/config.js';
import { buildGranskningDeps } from '../lib/granskning-deps.js';
import { S3DocumentStore, makeS3Client } from '../lib/adapters/s3-document-store.js';
import { domainLog, makeLogger } from '../lib/logger.js';
import { makeHandler } from './make-handler.js';

const config = loadConfig(schemas.beslut);
export const handler = makeHandler({
  granskning: buildGranskningDeps(config),
  store: new S3DocumentStore(makeS3Client(), config.INBOUND_BUCKET),
  log: domainLog(makeLogger('beslut')),
});
