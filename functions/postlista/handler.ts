import { loadConfig, schemas } from '../runtime/config.js';
import { makeDocumentClient } from '../adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../adapters/dynamo-diarium/repository.js';
import { makeHandler } from './make-handler.js';

const config = loadConfig(schemas.postlista);
const repo = new DynamoDiariumRepository(makeDocumentClient(), {
  tableName: config.TABLE_NAME,
  serie: config.DIARIUM_SERIE,
});
export const handler = makeHandler({ repo, clock: () => new Date() });
