import { SFNClient } from '@aws-sdk/client-sfn';
import { loadConfig, schemas } from '../lib/config.js';
import { buildGranskningDeps } from '../lib/granskning-deps.js';
import { S3DocumentStore, makeS3Client } from '../lib/adapters/s3-document-store.js';
import { SfnWorkflow } from '../lib/adapters/sfn-workflow.js';
import { domainLog, makeLogger } from '../lib/logger.js';
import { makeHandler } from './make-handler.js';

const config = loadConfig(schemas.beslut);
export const handler = makeHandler({
  // beslut never mails: the workflow's later steps do.
  granskning: buildGranskningDeps(config, { callback: new SfnWorkflow(new SFNClient({}), null) }),
  store: new S3DocumentStore(makeS3Client(), config.INBOUND_BUCKET),
  log: domainLog(makeLogger('beslut')),
});
