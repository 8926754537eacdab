import { loadConfig, schemas } from '../lib/config.js';
import { makeDocumentClient } from '../lib/adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../lib/adapters/dynamo-diarium-repository.js';
import { makeHandler } from './make-handler.js';

const config = loadConfig(schemas.postlista);
const repo = new DynamoDiariumRepository(makeDocumentClient(), {
  tableName: config.TABLE_NAME,
  serie: config.DIARIUM_SERIE,
});
export const handler = makeHandler({ repo, clock: () => new Date() });
