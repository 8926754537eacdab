import { SFNClient } from '@aws-sdk/client-sfn';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, schemas, type ConfigRecord } from '../runtime/config.js';
import { awsClientConfig, credentialsOf } from '../runtime/aws-clients.js';
import { buildGranskningDeps } from '../runtime/granskning-deps.js';
import { S3LinkSigner } from '../adapters/s3-signed-requests.js';
import { SfnWorkflow } from '../adapters/sfn-workflow.js';
import { domainLog, makeLogger } from '../runtime/logger.js';
import type { BeslutDeps } from './make-handler.js';

/** beslut's adapters, from its config record (the Lambda environment on AWS). */
export function buildDeps(env: ConfigRecord): BeslutDeps {
  const config = loadConfig(schemas.beslut, env);
  const sfn = tracer.captureAWSv3Client(new SFNClient(awsClientConfig(config, 'SFN')));
  return {
    // beslut never mails: the workflow's later steps do.
    granskning: buildGranskningDeps(config, { callback: new SfnWorkflow(sfn, null) }),
    store: new S3LinkSigner(
      config.INBOUND_BUCKET,
      config.AWS_REGION,
      config.AWS_ENDPOINT_URL_S3,
      credentialsOf(config),
    ),
    log: domainLog(makeLogger('beslut', config)),
  };
}
