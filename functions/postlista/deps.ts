import { loadConfig, schemas, type ConfigRecord } from '../runtime/config.js';
import { awsClientConfig } from '../runtime/aws-clients.js';
import { makeDocumentClient } from '../adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../adapters/dynamo-diarium/repository.js';
import type { makeHandler } from './make-handler.js';

/** The postlista's adapters, from its config record (the Lambda environment on AWS). */
export function buildDeps(env: ConfigRecord): Parameters<typeof makeHandler>[0] {
  const config = loadConfig(schemas.postlista, env);
  const repo = new DynamoDiariumRepository(makeDocumentClient(awsClientConfig(config, 'DYNAMODB')), {
    tableName: config.TABLE_NAME,
    serie: config.DIARIUM_SERIE,
  });
  return { repo, clock: () => new Date() };
}
