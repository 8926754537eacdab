import type { Log } from '../../domain/log.js';
import type { ReconcileResult } from '../../domain/ingest/reconcile.js';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { AwsClientConfig, AwsService } from '../../functions/runtime/aws-clients.js';
import { awsClientConfig } from '../../functions/runtime/aws-clients.js';
import { startDynamoDb } from './dynamodb.js';
import { startEventDelivery } from './event-delivery.js';
import { STATE_MACHINE_ARN, buildFunctions, functionConfig, ingestQueueUrl } from './functions.js';
import { startGranskningWorkflow } from './granskning-workflow.js';
import { startHttpStandIn } from './http-api.js';
import { Stoppers, type Defer } from './lifecycle.js';
import type { IngestStatus, LocalStackOptions } from './options.js';
import { portsOf, reservePorts, type Service } from './ports.js';
import { startReconciliation } from './reconciliation.js';
import { startS3 } from './s3.js';
import { startSesOutbox } from './ses-outbox.js';
import { receiptRecipients, startSmtpInbound } from './smtp-inbound.js';
import type { LocalStepFunctions } from './step-functions.js';
import { synthesize } from './synth.js';

export type { IngestStatus, LocalStackOptions } from './options.js';

export interface LocalStack {
  urls: { smtp: string; outbox: string; http: string; s3: string; dynamodb: string; aws: string };
  ports: Record<Service, number>;
  /** The functions' config record (what each Lambda would have in its environment). */
  env: Record<string, string>;
  /** Settings for an SDK client of one of the emulated services, as the functions build theirs. */
  clientConfig(service: AwsService): AwsClientConfig;
  bucket: string;
  table: string;
  /** Ingest outcome per stored object key (raw/<id>, uppladdat/<name>). */
  outcomes: Map<string, IngestStatus>;
  sfn: LocalStepFunctions;
  /** The start-up reconciliation pass (stored objects without a registration re-driven); null if it failed. */
  reconciled: Promise<ReconcileResult | null>;
  /** DynamoDB Local's Java process (the benchmarks read its CPU time). */
  dynamodbPid: number | null;
  stop(): Promise<void>;
}

/** Starts the whole system on real implementations of the AWS APIs, from the synthesized CDK templates. */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log: Log = opts.log ?? ((level, m) => (level === 'info' ? console.log(m) : console.error(m)));
  const dataDir = path.resolve(opts.dataDir);
  if (opts.fresh) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const reserved = await reservePorts(opts.ports);
  const stoppers = new Stoppers();
  const { defer } = stoppers;
  // Whatever happens during start-up, no reservation outlives it.
  defer(() => Promise.all(Object.values(reserved).map((r) => r.release())).then(() => undefined));
  try {
    return await compose(opts, dataDir, reserved, stoppers, log);
  } catch (err) {
    await stoppers.stopAll();
    throw err;
  }
}

type Reserved = Awaited<ReturnType<typeof reservePorts>>;

/** The stateful emulators (DynamoDB, S3, SES), and the functions' config record that points at them. */
async function startStorage(opts: LocalStackOptions, dataDir: string, reserved: Reserved, defer: Defer) {
  const templates = synthesize();
  const ddb = await startDynamoDb({
    reservation: reserved.dynamodb,
    dataDir,
    statefulTemplate: templates.stateful,
    demoRegister: opts.demoRegister ?? true,
    defer,
  });
  const s3 = await startS3({ reservation: reserved.s3, dataDir, defer });
  const outbox = await startSesOutbox({ reservation: reserved.ses, defer });
  const urls = {
    aws: `http://127.0.0.1:${reserved.aws.port}`,
    http: `http://127.0.0.1:${reserved.http.port}`,
    outbox: `${outbox}/`,
  };
  const env = functionConfig(templates.config, opts, {
    dynamodb: ddb.endpoint,
    s3: s3.endpoint,
    ses: outbox,
    aws: urls.aws,
    publicBaseUrl: urls.http,
    table: ddb.table,
    bucket: s3.bucket,
  });
  return { templates, ddb, s3, urls, env };
}

async function compose(
  opts: LocalStackOptions,
  dataDir: string,
  reserved: Reserved,
  stoppers: Stoppers,
  log: Log,
): Promise<LocalStack> {
  const { defer } = stoppers;
  const { templates, ddb, s3, urls, env } = await startStorage(opts, dataDir, reserved, defer);
  const { fns, outcomes } = buildFunctions(env);
  const sfn = startGranskningWorkflow({
    stateMachineArn: STATE_MACHINE_ARN,
    serviceTemplate: templates.service,
    fns,
    options: opts,
    dataDir,
    log,
  });
  await startEventDelivery({
    reservation: reserved.aws,
    serviceTemplate: templates.service,
    fns,
    sfn,
    s3,
    dataDir,
    ingestConcurrency: opts.ingestConcurrency ?? 4,
    ingestQueueUrl: ingestQueueUrl(urls.aws),
    ...(opts.ingestPaused ? { ingestPaused: true } : {}),
    log,
    defer,
  });
  // Before SMTP and uploads open: the start-up pass covers exactly what was stored before this process.
  const reconciliation = startReconciliation({
    config: env,
    fns,
    intervalMs: opts.reconcileIntervalMs ?? 60_000,
    log,
    defer,
  });
  await startHttpStandIn({ reservation: reserved.http, fns, outcomes, outboxUrl: urls.outbox, defer });
  const smtpUrl = await startSmtpInbound({
    reservation: reserved.smtp,
    s3: s3.client,
    bucket: s3.bucket,
    recipients: receiptRecipients(templates.stateful),
    defer,
  });

  const resumed = sfn.resume();
  if (resumed > 0) log('info', `Återupptog ${resumed} pågående granskning(ar) från journalen.`);
  return {
    urls: { ...urls, smtp: smtpUrl, s3: s3.endpoint, dynamodb: ddb.endpoint },
    ports: portsOf(reserved),
    env,
    clientConfig: (service) => awsClientConfig(env, service),
    bucket: s3.bucket,
    table: ddb.table,
    outcomes,
    sfn,
    reconciled: reconciliation.startup,
    dynamodbPid: ddb.pid,
    async stop() {
      // Waiting tasks and their timers first, so nothing acts on (or journals to) services being closed.
      sfn.close();
      await stoppers.stopAll();
    },
  };
}
