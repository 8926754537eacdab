import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import path from 'node:path';

/**
 * Object Lock in front of s3rver, which has none: the rules S3 applies to retention, so the local stack refuses
 * what AWS refuses and a test can check that every stored object is retained.
 * - PutObject with lock headers needs Content-MD5 or an x-amz-checksum-* header (400 InvalidRequest, as S3);
 *   a given x-amz-checksum-sha256 must match the body (400 BadDigest).
 * - PutObjectRetention / GetObjectRetention (`?retention`) are answered here, stored in a JSON sidecar per key;
 *   governance retention can be extended, shortened only with x-amz-bypass-governance-retention.
 * - HEAD/GET of an object return x-amz-object-lock-mode / -retain-until-date from the sidecar.
 * - DELETE with a version id (DeleteObjectVersion) of a retained object is refused.
 * - DELETE without a version id adds a delete marker, as on S3's versioned bucket: the object is hidden from GET
 *   (404 NoSuchKey) and from ListObjectsV2, and its bytes stay, readable with a version id; s3rver keeps no
 *   versions, so the delete is answered here and never reaches it. A later PUT of the key makes it current again.
 * Everything else passes through unchanged (same headers, so s3rver's SigV4 check still holds).
 */

export interface Retention {
  mode: 'GOVERNANCE' | 'COMPLIANCE';
  retainUntil: string;
}

export const CHECKSUM_REQUIRED_MESSAGE =
  'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters';

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface ObjectLockFront {
  /** The retention stored for an object, or null. */
  retention(bucket: string, key: string): Promise<Retention | null>;
  close(): Promise<void>;
}

export async function startObjectLockFront(opts: {
  port: number;
  upstream: { host: string; port: number };
  /** Where the sidecars go (beside s3rver's data). */
  dir: string;
}): Promise<ObjectLockFront> {
  const sidecar = (bucket: string, key: string) =>
    path.join(opts.dir, createHash('sha256').update(`${bucket}/${key}`).digest('hex') + '.json');

  const retention = async (bucket: string, key: string): Promise<Retention | null> => {
    try {
      const parsed = JSON.parse(await readFile(sidecar(bucket, key), 'utf8')) as unknown;
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        'mode' in parsed &&
        'retainUntil' in parsed &&
        (parsed.mode === 'GOVERNANCE' || parsed.mode === 'COMPLIANCE') &&
        typeof parsed.retainUntil === 'string'
      ) {
        return { mode: parsed.mode, retainUntil: parsed.retainUntil };
      }
      return null;
    } catch {
      return null;
    }
  };
  const marker = (bucket: string, key: string) => sidecar(bucket, key).replace(/\.json$/, '.delete-marker');
  const hidden = async (bucket: string, key: string): Promise<boolean> => {
    try {
      await readFile(marker(bucket, key));
      return true;
    } catch {
      return false;
    }
  };
  const store = async (bucket: string, key: string, r: Retention) => {
    await mkdir(opts.dir, { recursive: true });
    await writeFile(sidecar(bucket, key), JSON.stringify({ bucket, key, ...r }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) error(res, 500, 'InternalError', String(err));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const [bucketSegment, ...keySegments] = url.pathname.slice(1).split('/');
    const bucket = decodeURIComponent(bucketSegment ?? '');
    const key = keySegments.map(decodeURIComponent).join('/');
    const body = await readBody(req);
    const bypass = header(req.headers, 'x-amz-bypass-governance-retention') === 'true';

    if (key && url.searchParams.has('retention')) {
      if (req.method === 'GET') {
        const r = await retention(bucket, key);
        if (!r) {
          error(
            res,
            404,
            'NoSuchObjectLockConfiguration',
            'The specified object does not have a ObjectLock configuration',
          );
          return;
        }
        xml(
          res,
          200,
          `<Retention xmlns="${S3_NS}"><Mode>${r.mode}</Mode><RetainUntilDate>${r.retainUntil}</RetainUntilDate></Retention>`,
        );
        return;
      }
      if (req.method === 'PUT') {
        const text = body.toString('utf8');
        const mode = /<Mode>\s*([A-Z]+)\s*<\/Mode>/.exec(text)?.[1];
        const until = /<RetainUntilDate>\s*([^<]+?)\s*<\/RetainUntilDate>/.exec(text)?.[1];
        if ((mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') || !until || Number.isNaN(Date.parse(until))) {
          error(res, 400, 'MalformedXML', 'The XML you provided was not well-formed');
          return;
        }
        const next: Retention = { mode, retainUntil: new Date(until).toISOString() };
        const current = await retention(bucket, key);
        if (current && Date.parse(current.retainUntil) > Date.now()) {
          const shorter = Date.parse(next.retainUntil) < Date.parse(current.retainUntil);
          const weaker = current.mode === 'COMPLIANCE' && next.mode !== 'COMPLIANCE';
          if ((shorter || weaker) && (current.mode === 'COMPLIANCE' || !bypass)) {
            error(res, 403, 'AccessDenied', 'Access Denied because object protected by object lock.');
            return;
          }
        }
        await store(bucket, key, next);
        res.statusCode = 200;
        res.end();
        return;
      }
    }

    const lockMode = header(req.headers, 'x-amz-object-lock-mode');
    const lockUntil = header(req.headers, 'x-amz-object-lock-retain-until-date');
    // The SDK adds ?x-id=PutObject; any other parameter is a sub-resource (tagging, acl, partNumber …).
    const isObjectPut =
      req.method === 'PUT' && key !== '' && [...url.searchParams.keys()].every((p) => p === 'x-id');
    if (isObjectPut && (lockMode !== undefined || lockUntil !== undefined)) {
      const trailer = header(req.headers, 'x-amz-trailer') ?? '';
      const checksummed =
        header(req.headers, 'content-md5') !== undefined ||
        Object.keys(req.headers).some((h) => h.startsWith('x-amz-checksum-')) ||
        trailer.startsWith('x-amz-checksum-');
      if (!checksummed) {
        error(res, 400, 'InvalidRequest', CHECKSUM_REQUIRED_MESSAGE);
        return;
      }
      const sha = header(req.headers, 'x-amz-checksum-sha256');
      const chunked = (header(req.headers, 'content-encoding') ?? '').includes('aws-chunked');
      if (sha !== undefined && !chunked && createHash('sha256').update(body).digest('base64') !== sha) {
        error(res, 400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
        return;
      }
      if (
        (lockMode !== 'GOVERNANCE' && lockMode !== 'COMPLIANCE') ||
        !lockUntil ||
        Number.isNaN(Date.parse(lockUntil))
      ) {
        error(
          res,
          400,
          'InvalidArgument',
          'x-amz-object-lock-mode and x-amz-object-lock-retain-until-date must both be supplied',
        );
        return;
      }
      const upstream = await forward(req, body);
      if (upstream.status === 200) {
        await store(bucket, key, { mode: lockMode, retainUntil: new Date(lockUntil).toISOString() });
        await rm(marker(bucket, key), { force: true });
      }
      reply(res, upstream);
      return;
    }

    if (req.method === 'DELETE' && key !== '' && !url.searchParams.has('uploadId')) {
      if (!url.searchParams.has('versionId')) {
        await mkdir(opts.dir, { recursive: true });
        await writeFile(marker(bucket, key), JSON.stringify({ bucket, key, at: new Date().toISOString() }));
        res.writeHead(204, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': randomUUID() });
        res.end();
        return;
      }
      const r = await retention(bucket, key);
      if (r && Date.parse(r.retainUntil) > Date.now() && (r.mode === 'COMPLIANCE' || !bypass)) {
        error(res, 403, 'AccessDenied', 'Access Denied because object protected by object lock.');
        return;
      }
    }
    const read = (req.method === 'GET' || req.method === 'HEAD') && key !== '';
    if (read && !url.searchParams.has('versionId') && (await hidden(bucket, key))) {
      error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      return;
    }
    if (isObjectPut) await rm(marker(bucket, key), { force: true });
    if (req.method === 'GET' && key === '' && url.searchParams.get('list-type') === '2') {
      const upstream = await forward(req, body);
      const text = await readAll(upstream.body);
      const headers = { ...upstream.headers };
      delete headers['content-length'];
      delete headers['transfer-encoding'];
      res.writeHead(upstream.status, headers);
      res.end(upstream.status === 200 ? await withoutHidden(bucket, text) : text);
      return;
    }

    const upstream = await forward(req, body);
    if ((req.method === 'GET' || req.method === 'HEAD') && key !== '' && upstream.status < 300) {
      const r = await retention(bucket, key);
      if (r) {
        upstream.headers['x-amz-object-lock-mode'] = r.mode;
        upstream.headers['x-amz-object-lock-retain-until-date'] = r.retainUntil;
      }
    }
    reply(res, upstream);
  }

  interface Upstream {
    status: number;
    headers: OutgoingHttpHeaders;
    body: IncomingMessage;
  }

  function forward(req: IncomingMessage, body: Buffer): Promise<Upstream> {
    const headers: OutgoingHttpHeaders = { ...req.headers };
    // The body is buffered: sent with its length, without the client's chunked framing or 100-continue wait.
    delete headers['transfer-encoding'];
    delete headers['expect'];
    if (body.length > 0 || req.headers['content-length'] !== undefined)
      headers['content-length'] = body.length;
    return new Promise((resolve, reject) => {
      const out = request(
        {
          host: opts.upstream.host,
          port: opts.upstream.port,
          method: req.method,
          path: req.url,
          headers,
        },
        (up) => resolve({ status: up.statusCode ?? 502, headers: { ...up.headers }, body: up }),
      );
      out.on('error', reject);
      out.end(body);
    });
  }

  /** A ListObjectsV2 answer without the keys a delete marker hides. */
  async function withoutHidden(bucket: string, text: string): Promise<string> {
    const blocks = [...text.matchAll(/<Contents>[\s\S]*?<\/Contents>/g)];
    let out = text;
    let removed = 0;
    for (const b of blocks) {
      const k = /<Key>([\s\S]*?)<\/Key>/.exec(b[0])?.[1];
      if (k !== undefined && (await hidden(bucket, unescapeXml(k)))) {
        out = out.replace(b[0], '');
        removed++;
      }
    }
    return out.replace(
      /<KeyCount>(\d+)<\/KeyCount>/,
      (_, n: string) => `<KeyCount>${Number(n) - removed}</KeyCount>`,
    );
  }

  function reply(res: ServerResponse, upstream: Upstream): void {
    res.writeHead(upstream.status, upstream.headers);
    upstream.body.pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  return {
    retention,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function readAll(stream: IncomingMessage): Promise<string> {
  return readBody(stream).then((b) => b.toString('utf8'));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function xml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': randomUUID() });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

function error(res: ServerResponse, status: number, code: string, message: string): void {
  xml(res, status, `<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
