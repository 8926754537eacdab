import type { Log } from '../../domain/log.js';
import type { ReconcileResult } from '../../domain/ingest/reconcile.js';
import { mkdirSync, rmSync } from 'node:fs';
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
import { Stoppers, type Defer } from './lifecycle.js';
import type { IngestStatus, LocalStackOptions } from './options.js';
import { portsOf, reservePorts, type ProxyService, type Service } from './ports.js';
import { startOidcProvider } from './oidc-provider.js';
import { startReconciliation } from './reconciliation.js';
import { startS3 } from './s3.js';
import { startSesOutbox } from './ses-outbox.js';
import { receiptRecipients, startSmtpInbound } from './smtp-inbound.js';
import type { LocalStepFunctions } from './step-functions.js';
import { synthesize } from './synth.js';

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
async function startStorage(
  opts: LocalStackOptions,
  dataDir: string,
  reserved: Reserved,
  defer: Defer,
  log: Log,
) {
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
          },
          targets: { dynamodb: ddb.endpoint, s3: s3.endpoint, ses: outbox, aws: urls.aws },
          reservations: reserved,
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
      await stoppers.stopAll();
    },
  };
}
