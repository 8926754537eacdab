import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { AwsClientConfig, AwsService } from '../../functions/runtime/aws-clients.js';
import { awsClientConfig } from '../../functions/runtime/aws-clients.js';
import { startDynamoDb } from './dynamodb.js';
import { startEventDelivery } from './event-delivery.js';
import { STATE_MACHINE_ARN, buildFunctions, functionConfig } from './functions.js';
import { startGranskningWorkflow } from './granskning-workflow.js';
import { startHttpApi } from './http-api.js';
import { Stoppers } from './lifecycle.js';
import type { IngestStatus, LocalStackOptions } from './options.js';
import { reservePorts, type Service } from './ports.js';
import { startS3 } from './s3.js';
import { startSesOutbox } from './ses-outbox.js';
import { startSmtpInbound } from './smtp-inbound.js';
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
  /** DynamoDB Local's Java process (the benchmarks read its CPU time). */
  dynamodbPid: number | null;
  stop(): Promise<void>;
}

/** Starts the whole system on real implementations of the AWS APIs, from the synthesized CDK templates. */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log = opts.log ?? ((m: string) => console.log(m));
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

async function compose(
  opts: LocalStackOptions,
  dataDir: string,
  reserved: Awaited<ReturnType<typeof reservePorts>>,
  stoppers: Stoppers,
  log: (m: string) => void,
): Promise<LocalStack> {
  const { defer } = stoppers;
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
  const awsUrl = `http://127.0.0.1:${reserved.aws.port}`;
  const httpUrl = `http://127.0.0.1:${reserved.http.port}`;
  const env = functionConfig(templates.config, opts, {
    dynamodb: ddb.endpoint,
    s3: s3.endpoint,
    ses: outbox,
    aws: awsUrl,
    publicBaseUrl: httpUrl,
    table: ddb.table,
    bucket: s3.bucket,
  });

  const outcomes = new Map<string, IngestStatus>();
  const fns = buildFunctions(env, (o, key) => {
    outcomes.set(key, {
      diarienummer: o.handling.diarienummer,
      status: o.handling.bedomning,
      kvittens: o.kvittens,
    });
  });
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
    log,
    defer,
  });
  // HTTP API stand-in: decision pages, the postlista, and a status endpoint for `npm run submit`.
  await reserved.http.release();
  const httpApi = await startHttpApi({
    port: reserved.http.port,
    routes: {
      beslut: (ev) => fns.beslut(ev, {} as never),
      postlista: (ev) => fns.postlista(ev, {} as never),
    },
    status: (key) => outcomes.get(key) ?? null,
    outboxUrl: `${outbox}/`,
  });
  defer(() => new Promise<void>((r) => httpApi.close(() => r())));
  const smtpUrl = await startSmtpInbound({
    reservation: reserved.smtp,
    s3: s3.client,
    bucket: s3.bucket,
    defer,
  });

  const resumed = sfn.resume();
  if (resumed > 0) log(`Återupptog ${resumed} pågående granskning(ar) från journalen.`);
  return {
    urls: {
      smtp: smtpUrl,
      outbox: `${outbox}/`,
      http: httpUrl,
      s3: s3.endpoint,
      dynamodb: ddb.endpoint,
      aws: awsUrl,
    },
    ports: {
      smtp: reserved.smtp.port,
      s3: reserved.s3.port,
      dynamodb: reserved.dynamodb.port,
      ses: reserved.ses.port,
      http: reserved.http.port,
      aws: reserved.aws.port,
    },
    env,
    clientConfig: (service) => awsClientConfig(env, service),
    bucket: s3.bucket,
    table: ddb.table,
    outcomes,
    sfn,
    dynamodbPid: ddb.pid,
    async stop() {
      // Waiting tasks and their timers first, so nothing acts on (or journals to) services being closed.
      sfn.close();
      await stoppers.stopAll();
    },
  };
}
