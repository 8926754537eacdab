import { randomBytes } from 'node:crypto';
import { mkdirSync, appendFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SMTPServer } from 'smtp-server';
import { z } from 'zod';
import { buildApp } from '../../infra/build-app.js';
import { stateMachineDefinition } from '../../infra/definition.js';
import { createTable, spawnDynamoDbLocal, tableDefinitionFromTemplate } from './dynamodb-local.js';
import { startAwsApiServer, matches, type EventRule } from './aws-api-server.js';
import { LocalStepFunctions, type LocalLambda } from './step-functions.js';
import { addSesReceiptHeaders } from './ses-inbound.js';
import { limiter } from './limiter.js';
import { startHttpApi } from './http-api.js';
import { startIamProxies, type IamProxies } from './iam/proxy.js';
import { asFunction, tagFunctionRequests } from './iam/in-process.js';

type IamPortKey = 'iamDynamodb' | 'iamS3' | 'iamSes' | 'iamAws';

export interface LocalStackOptions {
  dataDir: string;
  /** 0 = any free port. */
  ports?: Partial<Record<'smtp' | 's3' | 'dynamodb' | 'ses' | 'http' | 'aws' | IamPortKey, number>>;
  /** Shortened wait-for-token timeouts (seconds) for tests. */
  granskningTimeouts?: { svarstid: number; paminnelse: number; eskalering: number };
  beslutPolicy?: { typ: 'forsta' } | { typ: 'kvorum'; antal: number };
  /** Members of the beredningsgrupp marked absent (ids or e-mail addresses): their ersättare are mailed. */
  franvarande?: string[];
  /** Seed the demo insats register (default on). */
  demoRegister?: boolean;
  /** Reset .data before starting (tests). */
  fresh?: boolean;
  log?: (m: string) => void;
  ingestConcurrency?: number;
  /** Concurrent granskning starts (the notify step runs inside them). */
  granskningConcurrency?: number;
  /**
   * Evaluate each function's AWS calls against its synthesized role and the resource policies (local/aws/iam):
   * `enforce` answers a denied call with the service's AccessDenied, `record` only records it. Default: the
   * LOCAL_IAM environment variable, else off.
   */
  iam?: 'enforce' | 'record' | 'off';
}

export interface IngestStatus {
  diarienummer: string;
  status: string;
  kvittens: string;
}

export interface LocalStack {
  urls: { smtp: string; outbox: string; http: string; s3: string; dynamodb: string; aws: string };
  /** With `iam` on, also the proxies' ports (a restart passes them back: handlers keep their endpoints). */
  ports: Record<'smtp' | 's3' | 'dynamodb' | 'ses' | 'http' | 'aws', number> &
    Partial<Record<IamPortKey, number>>;
  env: Record<string, string>;
  bucket: string;
  table: string;
  /** Ingest outcome per stored object key (raw/<id>, uppladdat/<name>). */
  outcomes: Map<string, IngestStatus>;
  sfn: LocalStepFunctions;
  /** DynamoDB Local's Java process (the benchmarks read its CPU time). */
  dynamodbPid: number | null;
  /** The IAM proxies when `iam` is on: recorded calls, denials, unused grants. */
  iam: IamProxies | null;
  stop(): Promise<void>;
}

/**
 * Holds a port (a listening socket) from the moment it is chosen until its service binds it: the stack picks
 * its ports before a synth of several seconds, and an outgoing connection's ephemeral port must not take one
 * in between. A requested port that is busy fails at once with a clear message.
 */
async function reservePort(
  preferred: number | undefined,
): Promise<{ port: number; release: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`Porten ${preferred ?? 0} används redan av ett annat program.`)
          : err,
      );
    });
    server.listen(preferred ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return { port, release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const resourceSchema = z.object({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).optional(),
});
const templateSchema = z.object({ Resources: z.record(z.string(), resourceSchema) });

async function waitFor(check: () => Promise<unknown>, what: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      await check();
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(
    `${what} svarade inte inom ${timeoutMs / 1000} s: ${last instanceof Error ? last.message : String(last)}`,
  );
}

/** Starts the whole system on real implementations of the AWS APIs, from the synthesized CDK templates. */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const dataDir = path.resolve(opts.dataDir);
  if (opts.fresh) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const reserved = {
    smtp: await reservePort(opts.ports?.smtp || undefined),
    s3: await reservePort(opts.ports?.s3 || undefined),
    dynamodb: await reservePort(opts.ports?.dynamodb || undefined),
    ses: await reservePort(opts.ports?.ses || undefined),
    http: await reservePort(opts.ports?.http || undefined),
    aws: await reservePort(opts.ports?.aws || undefined),
  };
  const ports = {
    smtp: reserved.smtp.port,
    s3: reserved.s3.port,
    dynamodb: reserved.dynamodb.port,
    ses: reserved.ses.port,
    http: reserved.http.port,
    aws: reserved.aws.port,
  };
  const stoppers: (() => Promise<void> | void)[] = [];
  // Whatever happens during start-up, no reservation outlives it.
  stoppers.push(() => Promise.all(Object.values(reserved).map((r) => r.release())).then(() => undefined));

  // 1. The same definitions as on AWS: synthesize (without bundling) and read the templates.
  const outdir = path.join(
    os.tmpdir(),
    `rapportflode-synth-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  const built = buildApp({ stage: 'lokal', bundling: false, outdir });
  const assembly = built.app.synth();
  // Raw as well: the IAM policies refer across stacks through Outputs, which the parsed shape drops.
  const rawTemplates = [built.stateful, built.service].map(
    (s): unknown => assembly.getStackArtifact(s.artifactId).template,
  );
  const statefulTemplate = templateSchema.parse(rawTemplates[0]);
  const serviceTemplate = templateSchema.parse(rawTemplates[1]);
  rmSync(outdir, { recursive: true, force: true });
  const config = built.config;

  // 2. DynamoDB Local (the real one, on disk, one shared database).
  mkdirSync(path.join(dataDir, 'dynamodb'), { recursive: true });
  await reserved.dynamodb.release();
  const ddbProcess = spawnDynamoDbLocal({ port: ports.dynamodb, dir: path.join(dataDir, 'dynamodb') });
  // If this process ends without stop() (a killed test run), the Java child must not outlive it.
  const killDdb = () => ddbProcess.kill('SIGKILL');
  process.once('exit', killDdb);
  stoppers.push(() => {
    process.removeListener('exit', killDdb);
  });
  ddbProcess.stderr?.on('data', () => undefined);
  ddbProcess.stdout?.on('data', () => undefined);
  stoppers.push(
    () =>
      new Promise<void>((resolve) => {
        if (ddbProcess.exitCode !== null) {
          resolve();
          return;
        }
        ddbProcess.once('exit', () => resolve());
        ddbProcess.kill('SIGTERM');
      }),
  );

  const env: Record<string, string> = {
    AWS_REGION: 'eu-west-1',
    // s3rver accepts only its own key pair; the other emulators accept any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${ports.dynamodb}`,
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${ports.s3}`,
    AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${ports.ses}`,
    AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${ports.aws}`,
    AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${ports.aws}`,
    // s3rver's paginated listings need the legacy provider (see DESIGN.md).
    NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --openssl-legacy-provider`.trim(),
    POWERTOOLS_LOG_LEVEL: process.env['POWERTOOLS_LOG_LEVEL'] ?? 'WARN',
    POWERTOOLS_DEV: 'true',
    // Metrics go to CloudWatch as EMF log lines on AWS; locally they would only clutter the terminal.
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  const ddb = new DynamoDBClient({
    endpoint: env['AWS_ENDPOINT_URL_DYNAMODB']!,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  stoppers.push(() => ddb.destroy());
  await waitFor(() => ddb.send(new ListTablesCommand({})), 'DynamoDB Local');

  const table = 'rapportflode-diarium';
  // The table as the stateful stack declares it (keys, indexes, TTL).
  await createTable(ddb, table, tableDefinitionFromTemplate(statefulTemplate));

  // A demo insats register built from the annual report's insatser (invented ärende numbers), once.
  if (opts.demoRegister ?? true) {
    const { seedDemoInsatser } = await import('./demo-insatser.js');
    const { DynamoDiariumRepository } = await import('../../functions/adapters/dynamo-diarium/repository.js');
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
    await seedDemoInsatser(new DynamoDiariumRepository(doc, { tableName: table }));
  }

  // 3. S3 (s3rver on disk); its object events feed the same EventBridge → SQS → ingest path as on AWS.
  const bucket = 'rapportflode-inbound';
  // @ts-expect-error s3rver ships no types; the shape used is declared here.
  const { default: S3rver } = (await import('s3rver')) as unknown as {
    default: new (o: Record<string, unknown>) => {
      run(): Promise<{ port: number }>;
      close(): Promise<void>;
      on(ev: 'event', cb: (e: { Records: S3Record[] }) => void): void;
    };
  };
  await reserved.s3.release();
  const s3rver = new S3rver({
    port: ports.s3,
    address: '127.0.0.1',
    directory: path.join(dataDir, 's3'),
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  await s3rver.run();
  stoppers.push(() => s3rver.close());
  const s3 = new S3Client({
    endpoint: env['AWS_ENDPOINT_URL_S3']!,
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  stoppers.push(() => s3.destroy());
  await waitFor(
    () =>
      s3
        .send(new HeadBucketCommand({ Bucket: bucket }))
        .catch(() => s3.send(new CreateBucketCommand({ Bucket: bucket }))),
    's3rver',
  );

  // 4. SES outbound with its outbox viewer.
  type SesStart = (c: { host: string; port: number }) => Promise<http.Server>;
  const sesModule = (await import('aws-ses-v2-local')) as unknown as {
    default: SesStart | { default: SesStart };
  };
  // CommonJS default export: `x.default` under Node's ESM loader, `x` itself under some bundlers.
  const startSes = typeof sesModule.default === 'function' ? sesModule.default : sesModule.default.default;
  await reserved.ses.release();
  const sesServer = await startSes({ host: '127.0.0.1', port: ports.ses });
  stoppers.push(() => new Promise<void>((r) => sesServer.close(() => r())));

  // 4b. IAM: the functions reach the emulators through proxies that evaluate each call against their role.
  const iamMode = opts.iam ?? (process.env['LOCAL_IAM'] as LocalStackOptions['iam']) ?? 'off';
  let iam: IamProxies | null = null;
  if (iamMode === 'enforce' || iamMode === 'record') {
    iam = await startIamProxies({
      targets: {
        dynamodb: `http://127.0.0.1:${ports.dynamodb}`,
        s3: `http://127.0.0.1:${ports.s3}`,
        ses: `http://127.0.0.1:${ports.ses}`,
        aws: `http://127.0.0.1:${ports.aws}`,
      },
      templates: rawTemplates,
      names: {
        table: 'rapportflode-diarium',
        bucket,
        eventBus: 'rapportflode-lokal',
        stateMachineArn: 'arn:aws:states:eu-west-1:000000000000:stateMachine:Granskning',
      },
      mode: iamMode,
      ports: {
        dynamodb: opts.ports?.iamDynamodb ?? 0,
        s3: opts.ports?.iamS3 ?? 0,
        ses: opts.ports?.iamSes ?? 0,
        aws: opts.ports?.iamAws ?? 0,
      },
      log,
    });
    const proxies = iam;
    const untag = tagFunctionRequests(Object.values(proxies.endpoints));
    stoppers.push(async () => {
      untag();
      writeFileSync(path.join(dataDir, 'iam-calls.json'), JSON.stringify(proxies.calls));
      await proxies.close();
    });
    Object.assign(env, {
      AWS_ENDPOINT_URL_DYNAMODB: proxies.endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: proxies.endpoints.s3,
      AWS_ENDPOINT_URL_SESV2: proxies.endpoints.ses,
      AWS_ENDPOINT_URL_SFN: proxies.endpoints.aws,
      AWS_ENDPOINT_URL_EVENTBRIDGE: proxies.endpoints.aws,
    });
  }
  /** Runs a handler as its function: with IAM on, its calls are evaluated against that function's role. */
  const as = <T>(fnId: string, run: () => T): T => (iam ? asFunction(fnId, run) : run());

  // 5. Function configuration: what the stage config gives the Lambdas on AWS, with local endpoints.
  const publicBaseUrl = `http://127.0.0.1:${ports.http}`;
  const stateMachineArn = 'arn:aws:states:eu-west-1:000000000000:stateMachine:Granskning';
  Object.assign(env, {
    TABLE_NAME: table,
    INBOUND_BUCKET: bucket,
    EVENT_BUS_NAME: 'rapportflode-lokal',
    MAIL_FROM: config.mailFrom,
    KANSLI_EMAIL: config.kansliEmail,
    FORBUNDSCHEF_EMAIL: config.forbundschefEmail,
    DIARIUM_SERIE: config.diariumSerie,
    PUBLIC_BASE_URL: publicBaseUrl,
    BEREDNINGSGRUPP: JSON.stringify(config.beredningsgrupp),
    BESLUT_POLICY: JSON.stringify(opts.beslutPolicy ?? config.beslutPolicy),
    BEREDNINGSGRUPP_FRANVARANDE: (opts.franvarande ?? config.franvarande).join(','),
    LINK_TTL_SECONDS: String(config.linkTtlSeconds),
    STATE_MACHINE_ARN: stateMachineArn,
    INGEST_QUEUE_URL: 'lokal',
  });
  Object.assign(process.env, env);

  // Handlers are imported only now: they read their configuration once, at cold start, like on Lambda.
  const { buildDeps: buildIngestDeps } = await import('../../functions/ingest/handler.js');
  const { makeHandler: makeIngestHandler } = await import('../../functions/ingest/make-handler.js');
  const outcomes = new Map<string, IngestStatus>();
  const ingest = makeIngestHandler(buildIngestDeps(), (o, key) => {
    outcomes.set(key, {
      diarienummer: o.handling.diarienummer,
      status: o.handling.bedomning,
      kvittens: o.kvittens,
    });
  });
  const startGranskning = (await import('../../functions/start-granskning/handler.js')).handler;
  const granskningTask = (await import('../../functions/granskning-task/handler.js')).handler;
  const finalize = (await import('../../functions/granskning-finalize/handler.js')).handler;
  const beslut = (await import('../../functions/beslut/handler.js')).handler;
  const postlista = (await import('../../functions/postlista/handler.js')).handler;
  const ctx = {} as never;

  // 6. Step Functions: the synthesized ASL, Lambda tasks mapped by state name.
  const definition = stateMachineDefinition(serviceTemplate);
  const payloadOf = (params: unknown) => (params as { Payload?: unknown }).Payload ?? params;
  // The granskning Lambdas run with the concurrency a Lambda would be given, so a burst of reports queues
  // them instead of starving the ingest of the machine's two cores.
  const limitGranskning = limiter(opts.granskningConcurrency ?? 2);
  // Lambda errors reach the log as they would in CloudWatch; the state machine sees them as task failures.
  const logged = <T>(name: string, run: () => Promise<T>): Promise<T> =>
    run().catch((err: unknown) => {
      log(`Lambda ${name} misslyckades: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      throw err;
    });
  const waitTask: LocalLambda = async (params, token) => {
    const payload = { ...(payloadOf(params) as Record<string, unknown>), taskToken: token };
    await limitGranskning(() =>
      logged('granskning-task', () => as('granskning-task', () => granskningTask(payload, ctx))),
    );
    return null;
  };
  const avsluta: LocalLambda = async (params) => {
    const r = await logged('granskning-finalize', () =>
      as('granskning-finalize', () => finalize(payloadOf(params), ctx)),
    );
    return { utfall: r.utfall, beslutshandling: r.beslutshandling };
  };
  const timeouts = opts.granskningTimeouts;
  const sfn = new LocalStepFunctions(
    stateMachineArn,
    definition,
    {
      waitForToken: { NotifieraBeredningsgrupp: waitTask, Paminnelse: waitTask, Eskalering: waitTask },
      invoke: { Avsluta: avsluta },
    },
    {
      dataDir: path.join(dataDir, 'stepfunctions'),
      ...(timeouts
        ? {
            taskTimeoutOverrideSeconds: {
              NotifieraBeredningsgrupp: timeouts.svarstid,
              Paminnelse: timeouts.paminnelse,
              Eskalering: timeouts.eskalering,
            },
          }
        : {}),
      log,
    },
  );

  // 7. EventBridge: the rules on the app bus, as declared in the service stack.
  const rules: EventRule[] = [];
  for (const [id, r] of Object.entries(serviceTemplate.Resources)) {
    if (r.Type !== 'AWS::Events::Rule') continue;
    const pattern = z.record(z.string(), z.unknown()).safeParse(r.Properties?.['EventPattern']);
    if (!pattern.success || pattern.data['source']?.toString() === 'aws.s3') continue;
    if (JSON.stringify(pattern.data).includes('aws.s3')) continue;
    rules.push({
      name: id,
      pattern: pattern.data,
      target: async (event) => {
        await as('start-granskning', () => startGranskning(event, ctx));
      },
    });
  }
  const s3Rule = Object.values(serviceTemplate.Resources).find(
    (r) =>
      r.Type === 'AWS::Events::Rule' &&
      JSON.stringify(r.Properties?.['EventPattern'] ?? {}).includes('aws.s3'),
  );
  const s3Pattern = z
    .object({ detail: z.object({ bucket: z.object({ name: z.array(z.unknown()) }) }).loose() })
    .loose()
    .parse(s3Rule?.Properties?.['EventPattern'] ?? {});
  // The rule names the bucket by a CloudFormation reference; locally that is our one bucket.
  const s3PatternLocal = { ...s3Pattern, detail: { ...s3Pattern.detail, bucket: { name: [bucket] } } };
  await reserved.aws.release();
  const awsApi = await startAwsApiServer({ port: ports.aws, sfn: () => sfn, rules: () => rules, log });
  stoppers.push(() => new Promise<void>((r) => awsApi.close(() => r())));

  // 8. S3 → EventBridge → SQS (retries, DLQ) → ingest, with the queue's concurrency.
  const dlqFile = path.join(dataDir, 'ingest-dlq.jsonl');
  const queue: { messageId: string; body: string; attempts: number; key: string }[] = [];
  let active = 0;
  const concurrency = opts.ingestConcurrency ?? 4;
  const pump = () => {
    while (active < concurrency && queue.length > 0) {
      const msg = queue.shift()!;
      active++;
      void (async () => {
        try {
          const res = await as('ingest', () =>
            ingest({ Records: [{ messageId: msg.messageId, body: msg.body }] }, ctx),
          );
          if (res.batchItemFailures.length > 0) throw new Error('ingest rapporterade fel');
        } catch {
          msg.attempts++;
          if (msg.attempts >= 5) {
            appendFileSync(dlqFile, `${JSON.stringify({ ...msg, tid: new Date().toISOString() })}\n`);
            log(`Ingest gav upp efter 5 försök: ${msg.key} (lagd i ${dlqFile})`);
          } else {
            setTimeout(
              () => {
                queue.push(msg);
                pump();
              },
              200 * 2 ** msg.attempts,
            );
          }
        } finally {
          active--;
          pump();
        }
      })();
    }
  };
  s3rver.on('event', (e) => {
    for (const rec of e.Records) {
      if (!rec.eventName.startsWith('ObjectCreated')) continue;
      const ebEvent = {
        version: '0',
        id: randomBytes(16).toString('hex'),
        'detail-type': 'Object Created',
        source: 'aws.s3',
        account: '000000000000',
        time: new Date(rec.eventTime).toISOString(),
        region: 'eu-west-1',
        resources: [`arn:aws:s3:::${rec.s3.bucket.name}`],
        detail: {
          version: '0',
          bucket: { name: rec.s3.bucket.name },
          object: {
            key: rec.s3.object.key,
            size: rec.s3.object.size,
            etag: rec.s3.object.eTag,
            sequencer: rec.s3.object.sequencer,
          },
          reason: 'PutObject',
        },
      };
      if (!matches(s3PatternLocal, ebEvent)) continue;
      queue.push({
        messageId: randomBytes(8).toString('hex'),
        body: JSON.stringify(ebEvent),
        attempts: 0,
        key: rec.s3.object.key,
      });
    }
    pump();
  });

  // 9. HTTP API stand-in: decision pages, the postlista, and a status endpoint for `npm run submit`.
  await reserved.http.release();
  const httpApi = await startHttpApi({
    port: ports.http,
    routes: {
      beslut: (ev) => as('beslut', () => beslut(ev, ctx)),
      postlista: (ev) => as('postlista', () => postlista(ev, ctx)),
    },
    status: (key) => outcomes.get(key) ?? null,
    outboxUrl: `http://127.0.0.1:${ports.ses}/`,
  });
  stoppers.push(() => new Promise<void>((r) => httpApi.close(() => r())));

  // 10. SES inbound stand-in: SMTP → raw MIME with SES's receipt headers → inbound bucket raw/<id>.
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: 40 * 1024 * 1024,
    banner: 'Rapportflöde lokal SES inbound',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        void (async () => {
          try {
            const id = randomBytes(20).toString('hex');
            const raw = addSesReceiptHeaders(Buffer.concat(chunks), {
              id,
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
              remoteAddress: session.remoteAddress,
              clientHostname: session.clientHostname,
            });
            await s3.send(
              new PutObjectCommand({
                Bucket: bucket,
                Key: `raw/${id}`,
                Body: raw,
                ContentType: 'message/rfc822',
              }),
            );
            callback(null, `Ok: queued as raw/${id}`);
          } catch (err) {
            callback(err instanceof Error ? err : new Error(String(err)));
          }
        })();
      });
    },
  });
  await reserved.smtp.release();
  await new Promise<void>((resolve) => smtp.listen(ports.smtp, '127.0.0.1', () => resolve()));
  stoppers.push(() => new Promise<void>((r) => smtp.close(() => r())));

  const resumed = sfn.resume();
  if (resumed > 0) log(`Återupptog ${resumed} pågående granskning(ar) från journalen.`);

  return {
    urls: {
      smtp: `smtp://127.0.0.1:${ports.smtp}`,
      outbox: `http://127.0.0.1:${ports.ses}/`,
      http: publicBaseUrl,
      s3: env['AWS_ENDPOINT_URL_S3']!,
      dynamodb: env['AWS_ENDPOINT_URL_DYNAMODB']!,
      aws: `http://127.0.0.1:${ports.aws}`,
    },
    ports: {
      ...ports,
      ...(iam
        ? {
            iamDynamodb: Number(new URL(iam.endpoints.dynamodb!).port),
            iamS3: Number(new URL(iam.endpoints.s3!).port),
            iamSes: Number(new URL(iam.endpoints.ses!).port),
            iamAws: Number(new URL(iam.endpoints.aws!).port),
          }
        : {}),
    },
    env,
    bucket,
    table,
    outcomes,
    sfn,
    dynamodbPid: ddbProcess.pid ?? null,
    iam,
    async stop() {
      // Waiting tasks and their timers first, so nothing acts on (or journals to) services being closed.
      sfn.close();
      for (const s of stoppers.reverse()) {
        try {
          await s();
        } catch {
          // Shutting down: keep closing the rest.
        }
      }
    },
  };
}

interface S3Record {
  eventName: string;
  eventTime: string;
  s3: { bucket: { name: string }; object: { key: string; size: number; eTag: string; sequencer: string } };
}
