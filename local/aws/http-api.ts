import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LocalFunctions } from './functions.js';
import type { Defer } from './lifecycle.js';
import type { IngestProgress, IngestStatus } from './options.js';
import type { Reservation } from './ports.js';

type Route = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** Turns HTTP requests into API Gateway v2 (HTTP API) events for the same handlers as on AWS. */
export function toApiGatewayEvent(
  req: http.IncomingMessage,
  body: Buffer,
  routeKey: string,
  pathParameters: Record<string, string>,
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  // As API Gateway's payload 2.0: the Cookie header becomes the `cookies` list.
  const cookies = (headers['cookie'] ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean);
  delete headers['cookie'];
  const isText = /^(text\/|application\/(x-www-form-urlencoded|json))/.test(headers['content-type'] ?? '');
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    pathParameters,
    ...(cookies.length ? { cookies } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'lokal',
      domainName: url.host,
      domainPrefix: 'lokal',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/**
 * The limits AWS puts on a request, which the stand-in keeps so nothing works locally that fails on AWS: an HTTP
 * API takes a payload of at most 10 MB ("Quotas for configuring and running an HTTP API in API Gateway"), and a
 * synchronous Lambda invocation at most 6 MB of event ("Lambda quotas"), in which a binary body is base64.
 */
export const HTTP_API_MAX_PAYLOAD = 10 * 1024 * 1024;
export const LAMBDA_MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;

const TOO_LARGE = JSON.stringify({ message: 'Request Entity Too Large' });

export function startHttpApi(opts: {
  port: number;
  routes: { beslut: Route; postlista: Route; kansli: Route };
  /** 200 with the outcome, 202 with progress while the ingest works on it, 404 if unknown. */
  status: (key: string) => { code: number; body: unknown };
  outboxUrl: string;
}): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Past the limit the rest is read and dropped, so the client gets the answer rather than a reset.
      if (size <= HTTP_API_MAX_PAYLOAD) chunks.push(c);
    });
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const method = req.method ?? 'GET';
        const tooLarge = () => {
          res.writeHead(413, { 'content-type': 'application/json' });
          res.end(TOO_LARGE);
        };
        if (size > HTTP_API_MAX_PAYLOAD) {
          tooLarge();
          return;
        }
        const send = (r: APIGatewayProxyStructuredResultV2 | null) => {
          if (r === null) {
            tooLarge();
            return;
          }
          // The structured result's `cookies` are Set-Cookie headers, as API Gateway sends them.
          res.writeHead(r.statusCode ?? 200, {
            ...(r.headers as http.OutgoingHttpHeaders),
            ...(r.cookies?.length ? { 'set-cookie': r.cookies } : {}),
          });
          res.end(method === 'HEAD' ? undefined : (r.body ?? ''));
        };
        /** The function's answer, or null when the event is more than Lambda takes in one invocation. */
        const invoke = (route: Route, event: APIGatewayProxyEventV2) =>
          Buffer.byteLength(JSON.stringify(event)) > LAMBDA_MAX_SYNC_PAYLOAD
            ? Promise.resolve(null)
            : route(event);
        try {
          const beslut = /^\/beslut\/([^/]+)$/.exec(url.pathname);
          let id: string | null = null;
          try {
            id = beslut ? decodeURIComponent(beslut[1]!) : null;
          } catch {
            // A malformed escape is a forged id like any other: the handler answers with its 404 page.
            id = '';
          }
          if (beslut && ['GET', 'HEAD', 'POST'].includes(method)) {
            send(
              await invoke(
                opts.routes.beslut,
                toApiGatewayEvent(req, Buffer.concat(chunks), `${method} /beslut/{id}`, {
                  id: id ?? '',
                }),
              ),
            );
          } else if (url.pathname === '/postlista' && (method === 'GET' || method === 'HEAD')) {
            send(
              await invoke(
                opts.routes.postlista,
                toApiGatewayEvent(req, Buffer.concat(chunks), 'GET /postlista', {}),
              ),
            );
          } else if (/^\/kansli(\/.*)?$/.test(url.pathname) && ['GET', 'HEAD', 'POST'].includes(method)) {
            const proxy = url.pathname.slice('/kansli/'.length);
            send(
              await invoke(
                opts.routes.kansli,
                toApiGatewayEvent(
                  req,
                  Buffer.concat(chunks),
                  proxy ? `${method} /kansli/{proxy+}` : `${method} /kansli`,
                  proxy ? { proxy } : {},
                ),
              ),
            );
          } else if (url.pathname === '/lokal/status') {
            // Local tooling only (npm run submit): what the ingest made of a stored object.
            const s = opts.status(url.searchParams.get('nyckel') ?? '');
            res.writeHead(s.code, { 'content-type': 'application/json' });
            res.end(JSON.stringify(s.body));
          } else if (url.pathname === '/') {
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
            res.end(
              `<!doctype html><html lang="sv"><meta charset="utf-8"><title>Rapportflöde lokalt</title><h1>Rapportflöde – lokal miljö</h1><ul><li><a href="/postlista">Postlista (offentligt diarium)</a></li><li><a href="/kansli">Kansliets diarium (inloggning)</a></li><li><a href="${opts.outboxUrl}">Utkorg (skickad e-post)</a></li></ul>`,
            );
          } else {
            res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
            res.end('Sidan finns inte.');
          }
        } catch (err) {
          console.error('HTTP-fel', err);
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('Internt fel.');
        }
      })();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve(server));
  });
}

/** The HTTP API stand-in: decision pages, the postlista, and a status endpoint for `npm run submit`. */
export async function startHttpStandIn(opts: {
  reservation: Reservation;
  fns: Pick<LocalFunctions, 'beslut' | 'postlista' | 'kansli'>;
  outcomes: ReadonlyMap<string, IngestStatus>;
  progress: ReadonlyMap<string, IngestProgress>;
  outboxUrl: string;
  defer: Defer;
}): Promise<void> {
  // The handlers take a Lambda context they do not read.
  const ctx = {} as never;
  const { port } = opts.reservation;
  await opts.reservation.release();
  const server = await startHttpApi({
    port,
    routes: {
      beslut: (ev) => opts.fns.beslut(ev, ctx),
      postlista: (ev) => opts.fns.postlista(ev, ctx),
      kansli: (ev) => opts.fns.kansli(ev, ctx),
    },
    status: (key) => {
      const done = opts.outcomes.get(key);
      if (done) return { code: 200, body: done };
      const p = opts.progress.get(key);
      return p ? { code: 202, body: p } : { code: 404, body: { fel: 'inte registrerad ännu' } };
    },
    outboxUrl: opts.outboxUrl,
  });
  opts.defer(() => new Promise<void>((r) => server.close(() => r())));
}
