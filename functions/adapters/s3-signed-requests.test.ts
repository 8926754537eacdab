import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StorageError } from '../../domain/diarium/errors.js';
import { S3SignedWriter } from './s3-signed-requests.js';

// A real HTTP server on a free port stands in for S3: it records what arrives and answers with the status the
// test sets, so the adapter's own request and its reading of S3's answers are what is tested.
let server: Server;
let endpoint: string;
let status = 200;
const retention = { days: 3653, clock: () => new Date('2026-11-30T10:00:00.000Z') };
const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];

beforeAll(async () => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXEMPEL');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'hemligt-exempel');
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res.statusCode = status;
      res.end(status === 200 ? '' : `<Error><Code>Status${status}</Code></Error>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
});

describe('S3SignedWriter', () => {
  it('sends one SigV4-signed, conditional PUT with the payload hash and the metadata', async () => {
    status = 200;
    const body = new TextEncoder().encode('BESLUT\nBeredningsgruppen godkänner slutrapporten.\n');
    await new S3SignedWriter('inkorg', 'eu-north-1', endpoint, retention).put(
      'handlingar/abc/Beslut SFG 26-4.1.txt',
      body,
      'text/plain; charset=utf-8',
      { sha256: 'abc' },
    );
    const req = seen.at(-1)!;
    expect(req.method).toBe('PUT');
    expect(req.url).toBe('/inkorg/handlingar/abc/Beslut%20SFG%2026-4.1.txt');
    expect(req.body.equals(Buffer.from(body))).toBe(true);
    expect(req.headers['if-none-match']).toBe('*');
    expect(req.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(req.headers['x-amz-meta-sha256']).toBe('abc');
    expect(req.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    expect(req.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXEMPEL\/\d{8}\/eu-north-1\/s3\/aws4_request, SignedHeaders=.*if-none-match.*x-amz-content-sha256/,
    );
  });

  it('puts the object under governance retention with a SHA-256 checksum, all signed (S3 requires the checksum with lock headers)', async () => {
    status = 200;
    const body = new TextEncoder().encode('BESLUT\n');
    await new S3SignedWriter('inkorg', 'eu-north-1', endpoint, retention).put(
      'handlingar/abc/Beslut.txt',
      body,
      'text/plain',
    );
    const req = seen.at(-1)!;
    expect(req.headers['x-amz-object-lock-mode']).toBe('GOVERNANCE');
    // Ten years (3653 days) after the clock's now.
    expect(req.headers['x-amz-object-lock-retain-until-date']).toBe('2036-11-30T10:00:00.000Z');
    expect(req.headers['x-amz-checksum-sha256']).toBe(createHash('sha256').update(body).digest('base64'));
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(req.headers.authorization ?? '')?.[1]?.split(';');
    expect(signedHeaders).toEqual(
      expect.arrayContaining([
        'x-amz-object-lock-mode',
        'x-amz-object-lock-retain-until-date',
        'x-amz-checksum-sha256',
      ]),
    );
  });

  it('takes an object that already exists (412) as stored, and any other refusal as a StorageError', async () => {
    const writer = new S3SignedWriter('inkorg', 'eu-north-1', endpoint, retention);
    status = 412;
    await expect(
      writer.put('handlingar/a/x.txt', new Uint8Array([1]), 'text/plain'),
    ).resolves.toBeUndefined();
    status = 403;
    const refused = writer.put('handlingar/a/x.txt', new Uint8Array([1]), 'text/plain');
    await expect(refused).rejects.toBeInstanceOf(StorageError);
    await expect(refused).rejects.toThrow(/403/);
  });
});
