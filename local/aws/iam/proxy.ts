import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessDenied, deniedMessage } from './access-denied.js';
import { IamEnforcer, formatReport, type CallRecord, type UnusedGrants } from './enforcer.js';
import { extractPolicies, type LocalNames } from './policies.js';
import { accessKeyOf, mapRequest, type ServiceKind } from './request-map.js';

/** Names the calling function for requests from handlers running in the stack's own process (see in-process.ts). */
export const FUNCTION_HEADER = 'x-rapportflode-function';

export interface IamProxyOptions {
  /** Base URL of each emulator to put a proxy in front of (http://127.0.0.1:port). */
  targets: Partial<Record<ServiceKind, string>>;
  /** The synthesized CloudFormation templates (stateful and service stacks). */
  templates: unknown[];
  /** The local names of the templates' resources (table, bucket, bus, state machine). */
  names: LocalNames;
  /** `enforce` (default) answers a denied call with AccessDenied; `record` only records it. */
  mode?: 'enforce' | 'record';
  /** Fixed proxy ports per service (default: any free port). */
  ports?: Partial<Record<ServiceKind, number>>;
  log?: (m: string) => void;
}

export interface IamProxies {
  /** Where each function (and anyone else) should send its calls instead of the emulator. */
  endpoints: Partial<Record<ServiceKind, string>>;
  /** Credentials that identify a function to the proxies. */
  credentialsFor(fnId: string): { accessKeyId: string; secretAccessKey: string };
  functionIds(): string[];
  /** Every call a function made, with the decision. */
  calls: CallRecord[];
  denied(): CallRecord[];
  unusedGrants(): UnusedGrants[];
  report(): string;
  enforcer: IamEnforcer;
  close(): Promise<void>;
}

/**
 * Puts an HTTP proxy in front of each emulator that evaluates every call made with a function's identity
 * against that function's role and the resource policies, and answers a denied one as the service would.
 * Calls without a function's identity (the test harness, the CLIs, the stack itself) pass as admin.
 */
export async function startIamProxies(opts: IamProxyOptions): Promise<IamProxies> {
  const enforcer = new IamEnforcer(extractPolicies(opts.templates, opts.names));
  const mode = opts.mode ?? 'enforce';
  const log = opts.log ?? (() => undefined);
  const ctx = {
    accountId: enforcer.policies.accountId,
    region: enforcer.policies.region,
    stateMachineArn: opts.names.stateMachineArn,
  };
  const servers: http.Server[] = [];
  const endpoints: Partial<Record<ServiceKind, string>> = {};

  for (const [kind, targetUrl] of Object.entries(opts.targets) as [ServiceKind, string][]) {
    const target = new URL(targetUrl);
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const body = Buffer.concat(chunks);
          const { [FUNCTION_HEADER]: tagged, ...headers } = req.headers;
          const incoming = { method: req.method ?? 'GET', url: req.url ?? '/', headers, body };
          const fnId =
            enforcer.functionForAccessKey(accessKeyOf(incoming)) ??
            (typeof tagged === 'string' && enforcer.role(tagged) ? tagged : undefined);
          if (fnId) {
            const mapped = mapRequest(kind, incoming, ctx);
            for (const check of mapped.checks) {
              const r = await enforcer.authorize(fnId, check);
              if (r.error)
                log(`IAM: kunde inte pröva ${fnId} ${check.action} på ${check.resource}: ${r.error}`);
              if (r.decision === 'Allowed') continue;
              const principal = enforcer.role(fnId)!.principalArn;
              const message = deniedMessage(
                principal,
                check.action,
                check.resource,
                r.decision === 'ExplicitlyDenied',
              );
              log(`IAM nekade ${fnId}: ${message}`);
              if (mode === 'enforce') {
                const denied = accessDenied(mapped.protocol, message, incoming.method);
                res.writeHead(denied.status, {
                  ...denied.headers,
                  'content-length': String(Buffer.byteLength(denied.body)),
                });
                res.end(denied.body);
                return;
              }
            }
          }
          forward(target, incoming.method, incoming.url, headers, body, res);
        })().catch((err: unknown) => {
          log(`IAM-proxyn: ${err instanceof Error ? err.message : String(err)}`);
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.ports?.[kind] ?? 0, '127.0.0.1', () => resolve());
    });
    servers.push(server);
    endpoints[kind] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  return {
    endpoints,
    credentialsFor: (fnId) => enforcer.credentialsFor(fnId),
    functionIds: () => enforcer.functionIds(),
    calls: enforcer.calls,
    denied: () => enforcer.denied(),
    unusedGrants: () => enforcer.unusedGrants(),
    report: () => formatReport(enforcer),
    enforcer,
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      ).then(() => undefined),
  };
}

function forward(
  target: URL,
  method: string,
  url: string,
  headers: http.IncomingHttpHeaders,
  body: Buffer,
  res: http.ServerResponse,
): void {
  const upstream = http.request(
    { hostname: target.hostname, port: target.port, method, path: url, headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`IAM-proxyn nådde inte ${target.host}: ${err.message}`);
  });
  upstream.end(body);
}
