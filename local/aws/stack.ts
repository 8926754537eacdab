import type { Log } from '../../domain/log.js';
import type { ReconcileResult } from '../../domain/ingest/reconcile.js';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { AwsClientConfig, AwsService } from '../../functions/runtime/aws-clients.js';
import { awsClientConfig } from '../../functions/runtime/aws-clients.js';
import { startDynamoDb } from './dynamodb.js';
import { startEventDelivery } from './event-delivery.js';
import {
  STATE_MACHINE_ARN,
  buildFunctions,
  type FunctionId,
  functionConfig,
  ingestQueueUrl,
} from './functions.js';
import type { IamProxies } from './iam/proxy.js';
import { iamMode, startIam } from './iam/wire.js';
import { startGranskningWorkflow } from './granskning-workflow.js';
import { startHttpStandIn } from './http-api.js';
import { INGEST_QUEUE_NAME, lockDataDir } from './instance.js';
import { Stoppers, type Defer } from './lifecycle.js';
import type { IngestProgress, IngestStatus, LocalStackOptions } from './options.js';
import { portsOf, reservePorts, type ProxyService, type Service } from './ports.js';
import { startOidcProvider } from './oidc-provider.js';
import { startReconciliation } from './reconciliation.js';
import { startBevakning } from './bevakning.js';
import { startS3 } from './s3.js';
import { startSesOutbox } from './ses-outbox.js';
import { receiptRecipients, startSmtpInbound } from './smtp-inbound.js';
import type { LocalStepFunctions } from './step-functions.js';
import { synthesizeApart } from './synth-apart.js';

export type { IngestStatus, LocalStackOptions } from './options.js';

export interface LocalStack {
  urls: {
    smtp: string;
    outbox: string;
    http: string;
    s3: string;
    dynamodb: string;
    aws: string;
    oidc: string;
  };
  /** The proxies' ports too: a restart passes them back, so what a function signed still reaches its proxy. */
  ports: Record<Service | ProxyService, number>;
  /** The config record the functions' own are made from (emulator endpoints, the emulators' key pair). */
  env: Record<string, string>;
  /** What one function is given (with IAM on: its own key pair and the proxies' endpoints). */
  configFor(fnId: FunctionId): Record<string, string>;
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
  /** The IAM proxies (null with LOCAL_IAM=off): the calls, denials, unused grants. */
  iam: IamProxies | null;
  stop(): Promise<void>;
}

/** Starts the whole system on real implementations of the AWS APIs, from the synthesized CDK templates. */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log: Log = opts.log ?? ((level, m) => (level === 'info' ? console.log(m) : console.error(m)));
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // Before anything touches the data: a second stack on the same data is refused (DataDirBusyError).
  const lock = lockDataDir(dataDir);
  if (opts.fresh) {
    for (const f of readdirSync(dataDir)) {
      if (f !== 'stack.lock') rmSync(path.join(dataDir, f), { recursive: true, force: true });
    }
  }
  const stoppers = new Stoppers();
  const { defer } = stoppers;
  // Registered first, so released last: the data is free only when every service has let go of it.
  defer(() => lock.release());
  let reserved: Reserved;
  try {
    reserved = await reservePorts(opts.ports);
  } catch (err) {
    await stoppers.stopAll();
    throw err;
  }
  // Whatever happens during start-up, no reservation outlives it.
  defer(() => Promise.all(Object.values(reserved).map((r) => r.release())).then(() => undefined));
  try {
    const stack = await compose(opts, dataDir, reserved, stoppers, log);
    // The CLIs find the stack here (local/cli/stack.ts), whatever ports it was given.
    lock.publish({
      region: stack.env['AWS_REGION'] ?? 'eu-west-1',
      ...stack.urls,
      table: stack.table,
      bucket: stack.bucket,
      eventBus: stack.env['EVENT_BUS_NAME'] ?? 'rapportflode-lokal',
    });
    return stack;
  } catch (err) {
    await stoppers.stopAll();
    throw err;
  }
}

type Reserved = Awaited<ReturnType<typeof reservePorts>>;

/** The stateful emulators (DynamoDB, S3, SES), and the functions' config record that points at them. */
async function startStorage(
  opts: LocalStackOptions,
  dataDir: string,
  reserved: Reserved,
  defer: Defer,
  log: Log,
) {
  const templates = await synthesizeApart();
  const ddb = await startDynamoDb({
    reservation: reserved.dynamodb,
    dataDir,
    statefulTemplate: templates.stateful,
    demoRegister: opts.demoRegister ?? true,
    defer,
  });
  const s3 = await startS3({ reservation: reserved.s3, dataDir, defer });
  const outbox = await startSesOutbox({ reservation: reserved.ses, dataDir, defer });
  const http = `http://127.0.0.1:${reserved.http.port}`;
  const oidc = await startOidcProvider({ port: opts.oidcPort ?? 0, redirectUri: `${http}/kansli/inloggad` });
  defer(() => oidc.close());
  const urls = {
    aws: `http://127.0.0.1:${reserved.aws.port}`,
    http,
    outbox: `${outbox}/`,
    oidc: oidc.issuer,
  };
  const env = functionConfig(templates.config, opts, {
    dynamodb: ddb.endpoint,
    s3: s3.endpoint,
    ses: outbox,
    aws: urls.aws,
    publicBaseUrl: urls.http,
    table: ddb.table,
    bucket: s3.bucket,
    oidcIssuer: oidc.issuer,
  });
  // The functions reach the emulators through the IAM proxies, each with its own key pair (local/aws/iam).
  const mode = iamMode(opts.iam);
  const iam =
    mode === 'off'
      ? null
      : await startIam({
          mode,
          templates: opts.iamTemplates ? opts.iamTemplates(templates.raw) : templates.raw,
          names: {
            table: ddb.table,
            bucket: s3.bucket,
            eventBus: env['EVENT_BUS_NAME']!,
            stateMachineArn: STATE_MACHINE_ARN,
            ingestQueue: INGEST_QUEUE_NAME,
          },
          targets: { dynamodb: ddb.endpoint, s3: s3.endpoint, ses: outbox, aws: urls.aws },
          // Only the proxies' own: the other services keep theirs until they bind (releasing them here left
          // SMTP, HTTP and the AWS API port free for any socket during the seconds until they start).
          reservations: {
            iamDynamodb: reserved.iamDynamodb,
            iamS3: reserved.iamS3,
            iamSes: reserved.iamSes,
            iamAws: reserved.iamAws,
          },
          dataDir,
          collect: !opts.iamTemplates,
          log,
          defer,
        });
  const configFor = (fnId: FunctionId) => (iam ? iam.configFor(fnId, env) : env);
  return { templates, ddb, s3, urls, env, iam, configFor };
}

async function compose(
  opts: LocalStackOptions,
  dataDir: string,
  reserved: Reserved,
  stoppers: Stoppers,
  log: Log,
): Promise<LocalStack> {
  const { defer } = stoppers;
  const { templates, ddb, s3, urls, env, iam, configFor } = await startStorage(
    opts,
    dataDir,
    reserved,
    defer,
    log,
  );
  const { fns, outcomes } = buildFunctions(configFor);
  const progress = new Map<string, IngestProgress>();
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
    progress,
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
  // The daily bevakning on a timer (local/aws/bevakning.ts); LOCAL_BEVAKNING_MS=0 runs it at start only.
  startBevakning({
    config: configFor('bevakning'),
    intervalMs: Number(process.env['LOCAL_BEVAKNING_MS'] ?? 3_600_000),
    log,
    defer,
  });
  await startHttpStandIn({
    reservation: reserved.http,
    fns,
    outcomes,
    progress,
    outboxUrl: urls.outbox,
    defer,
  });
  const smtpUrl = await startSmtpInbound({
    reservation: reserved.smtp,
    s3: s3.client,
    bucket: s3.bucket,
    recipients: receiptRecipients(templates.stateful),
    defer,
  });

  const resumed = sfn.resume();
  if (resumed > 0) {
    log(
      'info',
      `Återupptog ${resumed} pågående ${resumed === 1 ? 'granskning' : 'granskningar'} från journalen.`,
    );
  }
  return {
    urls: { ...urls, smtp: smtpUrl, s3: s3.endpoint, dynamodb: ddb.endpoint },
    ports: portsOf(reserved),
    env,
    configFor,
    clientConfig: (service) => awsClientConfig(env, service),
    bucket: s3.bucket,
    table: ddb.table,
    outcomes,
    sfn,
    reconciled: reconciliation.startup,
    dynamodbPid: ddb.pid,
    iam: iam?.proxies ?? null,
    async stop() {
      // Waiting tasks and their timers first, so nothing acts on (or journals to) services being closed.
      sfn.close();
      // Lambdas under way finish against the services they started with, before those close.
      await sfn.drain();
      await stoppers.stopAll();
    },
  };
}
