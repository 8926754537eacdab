import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { DocumentStore } from '../../../domain/diarium/ports.js';

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

/**
 * Short-lived GET links to objects in the inbound bucket, signed with SigV4 query parameters. The decision
 * page needs only this, and the full S3 client would double the function's start-up work for it.
 */
export class S3LinkSigner implements Pick<DocumentStore, 'presignedGetUrl'> {
  private readonly signer: SignatureV4;

  constructor(
    private readonly bucket: string,
    private readonly region: string,
    /** A custom endpoint (AWS_ENDPOINT_URL_S3) is addressed path-style, as the S3 client does with forcePathStyle. */
    private readonly endpoint: string | undefined,
  ) {
    this.signer = new SignatureV4({
      service: 's3',
      region,
      credentials: fromEnv(),
      sha256: NodeSha256,
      uriEscapePath: false,
    });
  }

  async presignedGetUrl(key: string, expiresInSeconds: number, filename: string): Promise<string> {
    const encodedKey = key.split('/').map(encodeURIComponent).join('/');
    const base = new URL(this.endpoint ?? `https://${this.bucket}.s3.${this.region}.amazonaws.com`);
    const path = this.endpoint ? `/${this.bucket}/${encodedKey}` : `/${encodedKey}`;
    const signed = await this.signer.presign(
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
