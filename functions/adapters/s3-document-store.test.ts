import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../domain/diarium/errors.js';
import { S3DocumentStore, makeS3Client } from './s3-document-store.js';

// A real HTTP server stands in for S3 (as in s3-signed-requests.test.ts): what the SDK client built by
// makeS3Client actually sends is what is asserted.
let server: Server;
let endpoint: string;
/** The retain-until date GET ?retention answers with; null: no retention (404). */
let existing: string | null = null;
const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.setHeader('content-type', 'application/xml');
      if (req.method === 'GET' && req.url?.includes('retention')) {
        if (existing === null) {
          res.statusCode = 404;
          res.end('<Error><Code>NoSuchObjectLockConfiguration</Code><Message>none</Message></Error>');
        } else {
          res.end(
            `<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>${existing}</RetainUntilDate></Retention>`,
          );
        }
        return;
      }
      res.setHeader('etag', '"e"');
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  existing = null;
});

const clock = () => new Date('2026-11-30T10:00:00.000Z');
const store = (retention = true) =>
  new S3DocumentStore(
    makeS3Client({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    'inkorg',
    retention ? { days: 10, clock } : undefined,
  );

describe('S3DocumentStore', () => {
  it('writes every file with governance retention and its SHA-256 checksum, conditionally', async () => {
    const bytes = new TextEncoder().encode('bilaga');
    await store().put('handlingar/abc/bilaga.txt', bytes, 'text/plain');
    const put = seen.at(-1)!;
    expect(put.method).toBe('PUT');
    expect(put.headers['if-none-match']).toBe('*');
    expect(put.headers['x-amz-object-lock-mode']).toBe('GOVERNANCE');
    expect(put.headers['x-amz-object-lock-retain-until-date']).toBe('2026-12-10T10:00:00Z');
    expect(put.headers['x-amz-checksum-sha256']).toBe(createHash('sha256').update(bytes).digest('base64'));
    // Sent as is: no aws-chunked framing (s3rver would store it).
    expect(put.headers['content-encoding'] ?? '').not.toContain('aws-chunked');
    expect(put.body).toBe('bilaga');
  });

  it('retains an object without retention: PutObjectRetention on that version, governance, now + the days', async () => {
    await store().retain({ key: 'raw/abc', versionId: 'v1' });
    const put = seen.find((r) => r.method === 'PUT')!;
    expect(put.url).toMatch(/^\/inkorg\/raw\/abc\?retention=?&versionId=v1/);
    expect(put.body).toContain('<Mode>GOVERNANCE</Mode>');
    expect(put.body).toContain('<RetainUntilDate>2026-12-10T10:00:00');
  });

  it('keeps a retention that already runs longer, and extends a shorter one', async () => {
    existing = '2030-01-01T00:00:00Z';
    await store().retain({ key: 'raw/abc', versionId: null });
    expect(seen.map((r) => r.method)).toEqual(['GET']);
    existing = '2026-12-01T00:00:00Z';
    await store().retain({ key: 'raw/abc', versionId: null });
    expect(seen.map((r) => r.method)).toEqual(['GET', 'GET', 'PUT']);
  });

  it('built without a retention (the kansli CLI reads only), refuses to write or retain', async () => {
    await expect(store(false).put('handlingar/x', new Uint8Array([1]), 'text/plain')).rejects.toBeInstanceOf(
      StorageError,
    );
    await expect(store(false).retain({ key: 'raw/x', versionId: null })).rejects.toBeInstanceOf(StorageError);
    expect(seen).toEqual([]);
  });
});
