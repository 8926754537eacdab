import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Log } from '../../../domain/log.js';
import type { Defer } from '../lifecycle.js';
import type { ProxyService, Reservation } from '../ports.js';
import { startIamProxies, type IamProxies } from './proxy.js';
import type { LocalNames } from './policies.js';
import { ingestQueueUrl } from '../instance.js';

/** `enforce` answers a call the role does not allow with AccessDenied; `record` only records it. */
export type IamMode = 'enforce' | 'record' | 'off';

/** Enforcement is on unless asked otherwise: LOCAL_IAM=off (or record) is for debugging only. */
export function iamMode(option: IamMode | undefined, env = process.env): IamMode {
  const fromEnv = env['LOCAL_IAM'];
  if (option) return option;
  if (fromEnv === 'off' || fromEnv === 'record' || fromEnv === 'enforce') return fromEnv;
  return 'enforce';
}

/** Where every stack run writes its calls, for `npx tsx local/aws/iam/report.ts` (one file per run). */
export const CALLS_DIR = path.resolve(process.env['LOCAL_IAM_CALLS_DIR'] ?? path.join('.data', 'iam-calls'));

export interface LocalIam {
  proxies: IamProxies;
  /**
   * A function's config record: the shared one with the endpoints pointed at the proxies and the function's own
   * key pair, which names it to them, as a role's credentials name it to AWS.
   */
  configFor(fnId: string, shared: Record<string, string>): Record<string, string>;
}

/**
 * Puts the IAM proxies in front of the emulators (DynamoDB Local, s3rver, SES local, the SFN/EventBridge API
 * server). Each function reaches them with credentialsFor(fnId), so its calls are evaluated against its own
 * synthesized role and the resource policies.
 */
export async function startIam(opts: {
  mode: 'enforce' | 'record';
  templates: unknown[];
  names: LocalNames;
  targets: { dynamodb: string; s3: string; ses: string; aws: string };
  reservations: Record<ProxyService, Reservation>;
  dataDir: string;
  /** Add the run's calls to CALLS_DIR (not for a run on altered templates: its denials are no finding). */
  collect: boolean;
  log: Log;
  defer: Defer;
}): Promise<LocalIam> {
  const r = opts.reservations;
  const logged = new Set<string>();
  await Promise.all(Object.values(r).map((x) => x.release()));
  const proxies = await startIamProxies({
    targets: opts.targets,
    templates: opts.templates,
    names: opts.names,
    mode: opts.mode,
    ports: { dynamodb: r.iamDynamodb.port, s3: r.iamS3.port, ses: r.iamSes.port, aws: r.iamAws.port },
    // A message once: the simulator's "must use wildcard" note would otherwise come with every SendTaskSuccess.
    log: (m) => {
      if (logged.has(m)) return;
      logged.add(m);
      opts.log('error', m);
    },
  });
  // s3rver checks every signature against the key pairs it knows: each function's pair is registered there.
  // @ts-expect-error s3rver ships no types; the shape used is declared here.
  const account = (await import('s3rver/lib/models/account.js')) as unknown as {
    DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
  };
  for (const fnId of proxies.functionIds()) {
    const c = proxies.credentialsFor(fnId);
    account.DUMMY_ACCOUNT.createKeyPair(c.accessKeyId, c.secretAccessKey);
  }
  opts.defer(async () => {
    writeCalls(proxies, opts.dataDir, opts.collect);
    await proxies.close();
  });
  const e = proxies.endpoints;
  return {
    proxies,
    configFor: (fnId, shared) => {
      const c = proxies.credentialsFor(fnId);
      return {
        ...shared,
        AWS_ACCESS_KEY_ID: c.accessKeyId,
        AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: e.dynamodb!,
        AWS_ENDPOINT_URL_S3: e.s3!,
        AWS_ENDPOINT_URL_SESV2: e.ses!,
        AWS_ENDPOINT_URL_SFN: e.aws!,
        AWS_ENDPOINT_URL_EVENTBRIDGE: e.aws!,
        // SQS sends to the host of the queue's URL: the URL the function is given names the proxy.
        AWS_ENDPOINT_URL_SQS: e.aws!,
        ...(shared['INGEST_QUEUE_URL'] ? { INGEST_QUEUE_URL: ingestQueueUrl(e.aws!) } : {}),
      };
    },
  };
}

/** The run's calls, counted per function, action, resource and decision: in the data directory and in CALLS_DIR. */
function writeCalls(proxies: IamProxies, dataDir: string, collect: boolean): void {
  const counted = new Map<string, { n: number; call: IamProxies['calls'][number] }>();
  for (const call of proxies.calls) {
    const key = JSON.stringify([call.fnId, call.action, call.resource, call.decision, call.error]);
    const seen = counted.get(key);
    if (seen) seen.n++;
    else counted.set(key, { n: 1, call });
  }
  const json = JSON.stringify([...counted.values()].map(({ n, call }) => ({ ...call, n })));
  writeFileSync(path.join(dataDir, 'iam-calls.json'), json);
  if (!collect) return;
  try {
    mkdirSync(CALLS_DIR, { recursive: true });
    writeFileSync(path.join(CALLS_DIR, `${Date.now()}-${randomBytes(3).toString('hex')}.json`), json);
  } catch {
    // The report's collection is a convenience; a read-only working directory must not fail the stop.
  }
}
