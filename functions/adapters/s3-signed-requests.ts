import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { AwsCredentialIdentity } from '../runtime/aws-clients.js';
import type { DocumentLinks } from '../../domain/diarium/ports.js';
import type { Arkiv, ArkivDokument, DocumentFiler } from '../../domain/document-archive.js';
import { arkivKey } from '../../events/storage-layout.js';
import { StorageError } from '../../domain/diarium/errors.js';
import { LOCK_MODE, checksumSha256, retainUntil, type RetentionPolicy } from './s3-retention.js';

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytes = (d: SourceData): Buffer =>
  typeof d === 'string'
    ? Buffer.from(d, 'utf8')
    : ArrayBuffer.isView(d)
      ? Buffer.from(d.buffer, d.byteOffset, d.byteLength)
      : Buffer.from(d);

/** SHA-256 and HMAC-SHA-256 from node:crypto in the shape the SigV4 signer expects. */
type Digest = ReturnType<typeof createHash> | ReturnType<typeof createHmac>;

class NodeSha256 {
  private h: Digest;
  constructor(private readonly secret?: SourceData) {
    this.h = this.fresh();
  }
  private fresh(): Digest {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
  update(data: SourceData): void {
    this.h.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
  reset(): void {
    this.h = this.fresh();
  }
}

/** Where an object of the inbound bucket is: virtual-hosted on AWS, path-style at a custom endpoint (as the S3 client with forcePathStyle). */
class S3Location {
  readonly signer: SignatureV4;

  constructor(
    private readonly bucket: string,
    private readonly region: string,
    /** AWS_ENDPOINT_URL_S3 when set (locally). */
    private readonly endpoint: string | undefined,
    /** The config's key pair; without one, the Lambda runtime's credentials from the environment. */
    credentials: AwsCredentialIdentity | undefined,
  ) {
    this.signer = new SignatureV4({
      service: 's3',
      region,
      credentials: credentials ?? fromEnv(),
      sha256: NodeSha256,
      uriEscapePath: false,
    });
  }

  of(key: string): { base: URL; path: string } {
    const encodedKey = key.split('/').map(encodeURIComponent).join('/');
    const base = new URL(this.endpoint ?? `https://${this.bucket}.s3.${this.region}.amazonaws.com`);
    return { base, path: this.endpoint ? `/${this.bucket}/${encodedKey}` : `/${encodedKey}` };
  }
}

/**
 * Short-lived GET links to objects in the inbound bucket, signed with SigV4 query parameters. The decision
 * page needs only this, and the full S3 client would double the function's start-up work for it.
 */
export class S3LinkSigner implements DocumentLinks {
  private readonly location: S3Location;

  constructor(
    bucket: string,
    region: string,
    endpoint: string | undefined,
    credentials?: AwsCredentialIdentity,
  ) {
    this.location = new S3Location(bucket, region, endpoint, credentials);
  }

  async presignedGetUrl(key: string, expiresInSeconds: number, filename: string): Promise<string> {
    const { base, path } = this.location.of(key);
    const signed = await this.location.signer.presign(
      {
        method: 'GET',
        protocol: base.protocol,
        hostname: base.hostname,
        ...(base.port ? { port: Number(base.port) } : {}),
        path,
        query: {
          'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
        },
        headers: { host: base.host },
      },
      { expiresIn: expiresInSeconds },
    );
    // RFC 3986 encoding, as SigV4 canonicalises it (URLSearchParams would turn spaces into '+').
    const rfc3986 = (v: string) =>
      encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const query = Object.entries(signed.query ?? {})
      .flatMap(([k, v]) => (typeof v === 'string' ? [`${rfc3986(k)}=${rfc3986(v)}`] : []))
      .join('&');
    return `${base.protocol}//${base.host}${path}?${query}`;
  }
}

/**
 * Files a small document in the inbound bucket with one SigV4-signed PUT, for a function that writes a file now
 * and then and would otherwise carry the whole S3 client, in its bundle and cold start, for it. Conditional
 * (If-None-Match) like S3DocumentStore.put: the keys are content-addressed, so an existing object already holds
 * these bytes.
 */
export class S3SignedWriter implements DocumentFiler {
  private readonly location: S3Location;

  constructor(
    bucket: string,
    region: string,
    endpoint: string | undefined,
    private readonly retention: RetentionPolicy,
    credentials?: AwsCredentialIdentity,
  ) {
    this.location = new S3Location(bucket, region, endpoint, credentials);
  }

  async file(arkiv: Arkiv, d: ArkivDokument): Promise<string> {
    const key = arkivKey(arkiv, d.sha256, d.filnamn);
    await this.put(key, d.bytes, d.contentType, { sha256: d.sha256 });
    return key;
  }

  async put(
    key: string,
    body: Uint8Array,
    contentType: string,
    metadata: Record<string, string> = {},
  ): Promise<void> {
    const { base, path } = this.location.of(key);
    const signed = await this.location.signer.sign({
      method: 'PUT',
      protocol: base.protocol,
      hostname: base.hostname,
      ...(base.port ? { port: Number(base.port) } : {}),
      path,
      headers: {
        host: base.host,
        'content-type': contentType,
        'content-length': String(body.length),
        'if-none-match': '*',
        'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
        // Per-object Object Lock (the bucket has no default retention); S3 then requires a checksum header.
        'x-amz-object-lock-mode': LOCK_MODE,
        'x-amz-object-lock-retain-until-date': retainUntil(this.retention).toISOString(),
        'x-amz-sdk-checksum-algorithm': 'SHA256',
        'x-amz-checksum-sha256': checksumSha256(body),
        ...Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])),
      },
      body,
    });
    let res: { status: number; body: string };
    try {
      res = await send(base, path, signed.headers, body);
    } catch (err) {
      throw new StorageError(`Kunde inte lagra ${key}`, { cause: err });
    }
    // 412: the object exists (same key, same bytes); 409: a concurrent conditional write of it is under way.
    if (res.status === 200 || res.status === 412 || res.status === 409) return;
    throw new StorageError(`Kunde inte lagra ${key}: S3 svarade ${res.status} ${res.body.slice(0, 300)}`);
  }
}

function send(
  base: URL,
  path: string,
  headers: Record<string, string>,
  body: Uint8Array,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = base.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      { method: 'PUT', hostname: base.hostname, port: base.port || undefined, path, headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 4096) text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('S3 svarade inte inom 10 s')));
    req.on('error', reject);
    req.end(body);
  });
}
