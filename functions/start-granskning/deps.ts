import { SFNClient } from '@aws-sdk/client-sfn';
import { tracer } from '../runtime/tracer.js';
import { loadConfig, schemas, type ConfigRecord } from '../runtime/config.js';
import { awsClientConfig } from '../runtime/aws-clients.js';
import { SfnWorkflow } from '../adapters/sfn-workflow.js';
import { domainLog, makeLogger } from '../runtime/logger.js';
import type { StartDeps } from './make-handler.js';

/** start-granskning's adapters, from its config record (the Lambda environment on AWS). */
export function buildDeps(env: ConfigRecord): StartDeps {
  const config = loadConfig(schemas.startGranskning, env);
  const sfn = tracer.captureAWSv3Client(new SFNClient(awsClientConfig(config, 'SFN')));
  return {
    workflow: new SfnWorkflow(sfn, config.STATE_MACHINE_ARN),
    log: domainLog(makeLogger('start-granskning', config)),
  };
}
