import { App, Tags } from 'aws-cdk-lib';
import * as path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from './constructs/app-function.js';
import { loadStageConfig } from './config/stages.js';
import type { StageConfig } from './config/stages.js';
import { ServiceStack } from './stacks/service-stack.js';
import { StatefulStack } from './stacks/stateful-stack.js';

export interface BuildAppOptions {
  /** `lokal` or `prod`; otherwise the `stage` context value (`-c stage=prod`), otherwise `prod`. */
  stage?: string;
  /** Cloud assembly directory. @default cdk.out (or CDK_OUTDIR when run by the CDK CLI) */
  outdir?: string;
  /** false: skip esbuild (assets point at the sources); for in-process synth and tests. @default true */
  bundling?: boolean;
  /** Extra context. `config` (object or JSON string) is merged over the stage configuration. */
  context?: Record<string, unknown>;
}

export interface BuiltApp {
  app: App;
  stateful: StatefulStack;
  service: ServiceStack;
  config: StageConfig;
}

/** Context key whose value (an object or a JSON string) overrides fields of the stage configuration. */
export const CONFIG_CONTEXT_KEY = 'config';

const overridesSchema = z.union([
  z.record(z.string(), z.unknown()),
  z.string().transform((text, ctx) => {
    try {
      return z.record(z.string(), z.unknown()).parse(JSON.parse(text));
    } catch {
      ctx.addIssue({ code: 'custom', message: `context "${CONFIG_CONTEXT_KEY}" is not a JSON object` });
      return z.NEVER;
    }
  }),
]);

/** Builds the Rapportflöde app (two stacks) without synthesizing it. */
export function buildApp(opts: BuildAppOptions = {}): BuiltApp {
  const context: Record<string, unknown> = {
    // Access-log delivery through a bucket policy instead of the LogDeliveryWrite ACL (ACLs stay disabled).
    '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
    ...opts.context,
  };
  if (opts.bundling === false) context['aws:cdk:bundling-stacks'] = [];
  // The CDK CLI passes CDK_OUTDIR; run directly (npm run synth) the assembly goes to ./cdk.out.
  const outdir = opts.outdir ?? process.env['CDK_OUTDIR'] ?? path.join(PROJECT_ROOT, 'cdk.out');
  const app = new App({ outdir, context });

  const stageContext: unknown = app.node.tryGetContext('stage');
  const stage = opts.stage ?? (typeof stageContext === 'string' ? stageContext : 'prod');
  const rawOverrides: unknown = app.node.tryGetContext(CONFIG_CONTEXT_KEY);
  const overrides = rawOverrides === undefined ? {} : overridesSchema.parse(rawOverrides);
  const config = loadStageConfig(stage, overrides);

  const env = {
    region: config.region,
    ...(config.account === undefined ? {} : { account: config.account }),
  };
  const prefix = `Rapportflode-${config.stage}`;
  const stateful = new StatefulStack(app, 'Stateful', {
    stackName: `${prefix}-stateful`,
    description: 'Rapportflöde: diarium, inbound mail bucket, KMS key, SES receipt rule (retained)',
    env,
    terminationProtection: config.stage === 'prod',
    config,
  });
  const service = new ServiceStack(app, 'Service', {
    stackName: `${prefix}-service`,
    description: 'Rapportflöde: functions, queues, granskning state machine, HTTP API, alarms',
    env,
    config,
    data: {
      table: stateful.table,
      bucket: stateful.inboundBucket,
      key: stateful.key,
      retentionDays: config.objectLockRetentionDays,
    },
  });
  service.addStackDependency(stateful);
  Tags.of(app).add('app', 'rapportflode');
  Tags.of(app).add('stage', config.stage);

  return { app, stateful, service, config };
}
