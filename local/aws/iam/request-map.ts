import { z } from 'zod';

export type ServiceKind = 'dynamodb' | 's3' | 'ses' | 'aws';

/** One authorization check a request needs: AWS evaluates each; any denial fails the whole request. */
export interface AuthCheck {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

export interface MappedRequest {
  /** The API protocol, which decides the AccessDenied shape. */
  protocol: 's3' | 'dynamodb' | 'sfn' | 'events' | 'sesv2' | 'sesv1' | 'sqs';
  checks: AuthCheck[];
}

export interface IncomingRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface MapContext {
  accountId: string;
  region: string;
  /** The state machine a task token belongs to: tokens are opaque, locally there is one machine. */
  stateMachineArn: string;
}

const header = (h: IncomingRequest['headers'], name: string): string => {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};

const jsonBody = (body: Buffer): Record<string, unknown> => {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
    return z.record(z.string(), z.unknown()).catch({}).parse(parsed);
  } catch {
    return {};
  }
};

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Maps a request to an emulator onto the IAM actions, resources and condition keys AWS would authorize. */
export function mapRequest(kind: ServiceKind, req: IncomingRequest, ctx: MapContext): MappedRequest {
  const target = header(req.headers, 'x-amz-target');
  if (target.startsWith('DynamoDB_')) return mapDynamoDb(target, jsonBody(req.body), ctx);
  if (target.startsWith('AWSStepFunctions.')) return mapSfn(target, jsonBody(req.body), ctx);
  if (target.startsWith('AWSEvents.')) return mapEvents(target, jsonBody(req.body), ctx);
  if (target.startsWith('AmazonSQS.')) return mapSqs(target, jsonBody(req.body), ctx);
  if (kind === 'ses') return mapSes(req, ctx);
  if (kind === 's3') return mapS3(req);
  return { protocol: kind === 'dynamodb' ? 'dynamodb' : 'events', checks: [] };
}

function mapDynamoDb(target: string, body: Record<string, unknown>, ctx: MapContext): MappedRequest {
  const op = target.slice(target.indexOf('.') + 1);
  const tableArn = (t: string) => `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${t}`;
  const checks: AuthCheck[] = [];
  const table = str(body['TableName']);
  if (op === 'BatchGetItem' || op === 'BatchWriteItem') {
    for (const t of Object.keys(
      z
        .record(z.string(), z.unknown())
        .catch({})
        .parse(body['RequestItems'] ?? {}),
    )) {
      checks.push({ action: `dynamodb:${op}`, resource: tableArn(t), context: {} });
    }
  } else if (op === 'TransactWriteItems' || op === 'TransactGetItems') {
    // Each item is authorized as the single-item action it performs, on its own table.
    const items = z
      .array(z.record(z.string(), z.unknown()))
      .catch([])
      .parse(body['TransactItems'] ?? []);
    const actionOf: Record<string, string> = {
      Put: 'PutItem',
      Update: 'UpdateItem',
      Delete: 'DeleteItem',
      ConditionCheck: 'ConditionCheckItem',
      Get: 'GetItem',
    };
    for (const item of items) {
      for (const [kind, spec] of Object.entries(item)) {
        const t = str(z.record(z.string(), z.unknown()).catch({}).parse(spec)['TableName']);
        const a = actionOf[kind];
        if (t && a) checks.push({ action: `dynamodb:${a}`, resource: tableArn(t), context: {} });
      }
    }
  } else if (table) {
    const index = str(body['IndexName']);
    const resource =
      index && (op === 'Query' || op === 'Scan') ? `${tableArn(table)}/index/${index}` : tableArn(table);
    checks.push({ action: `dynamodb:${op}`, resource, context: {} });
  } else {
    checks.push({ action: `dynamodb:${op}`, resource: '*', context: {} });
  }
  return { protocol: 'dynamodb', checks };
}

function mapSfn(target: string, body: Record<string, unknown>, ctx: MapContext): MappedRequest {
  const op = target.slice(target.indexOf('.') + 1);
  const resource =
    str(body['stateMachineArn']) ??
    str(body['executionArn']) ??
    // SendTask* carry an opaque token; IAM scopes them to the state machine that issued it.
    (op.startsWith('SendTask') ? ctx.stateMachineArn : '*');
  return { protocol: 'sfn', checks: [{ action: `states:${op}`, resource, context: {} }] };
}

function mapEvents(target: string, body: Record<string, unknown>, ctx: MapContext): MappedRequest {
  const op = target.slice(target.indexOf('.') + 1);
  const busArn = (name: string | undefined) =>
    name?.startsWith('arn:')
      ? name
      : `arn:aws:events:${ctx.region}:${ctx.accountId}:event-bus/${name ?? 'default'}`;
  if (op === 'PutEvents') {
    const entries = z
      .array(z.record(z.string(), z.unknown()))
      .catch([])
      .parse(body['Entries'] ?? []);
    return {
      protocol: 'events',
      checks: entries.map((e) => ({
        action: 'events:PutEvents',
        resource: busArn(str(e['EventBusName'])),
        context: {
          ...(str(e['Source']) ? { 'events:source': str(e['Source'])! } : {}),
          ...(str(e['DetailType']) ? { 'events:detail-type': str(e['DetailType'])! } : {}),
        },
      })),
    };
  }
  return {
    protocol: 'events',
    checks: [{ action: `events:${op}`, resource: busArn(str(body['EventBusName'])), context: {} }],
  };
}

function mapSqs(target: string, body: Record<string, unknown>, ctx: MapContext): MappedRequest {
  const op = target.slice(target.indexOf('.') + 1);
  const url = str(body['QueueUrl']);
  const name = url?.split('/').pop() ?? str(body['QueueName']);
  const resource = name ? `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${name}` : '*';
  return { protocol: 'sqs', checks: [{ action: `sqs:${op}`, resource, context: {} }] };
}

function mapSes(req: IncomingRequest, ctx: MapContext): MappedRequest {
  const url = new URL(req.url, 'http://local');
  const identityArn = (from: string | undefined) => {
    // Authorized against the sending identity: the From address's domain, as the stage verifies it.
    const addr = /<([^>]+)>/.exec(from ?? '')?.[1] ?? from ?? '';
    const domain = addr.includes('@') ? addr.slice(addr.lastIndexOf('@') + 1) : addr;
    return `arn:aws:ses:${ctx.region}:${ctx.accountId}:identity/${domain || '*'}`;
  };
  if (url.pathname.startsWith('/v2/email/outbound-emails') && req.method === 'POST') {
    const body = jsonBody(req.body);
    const from = str(body['FromEmailAddress']);
    return {
      protocol: 'sesv2',
      checks: [
        {
          action: 'ses:SendEmail',
          resource: identityArn(from),
          context: from ? { 'ses:FromAddress': /<([^>]+)>/.exec(from)?.[1] ?? from } : {},
        },
      ],
    };
  }
  if (url.pathname.startsWith('/v2/')) {
    return {
      protocol: 'sesv2',
      checks: [{ action: `ses:${req.method}${url.pathname}`, resource: '*', context: {} }],
    };
  }
  // SES v1 (query protocol): Action=SendEmail|SendRawEmail in a form body.
  const form = new URLSearchParams(req.body.toString('utf8'));
  const action = form.get('Action') ?? url.searchParams.get('Action');
  if (action) {
    return {
      protocol: 'sesv1',
      checks: [
        { action: `ses:${action}`, resource: identityArn(form.get('Source') ?? undefined), context: {} },
      ],
    };
  }
  // The outbox viewer and the emulator's own pages: not AWS API calls.
  return { protocol: 'sesv2', checks: [] };
}

function mapS3(req: IncomingRequest): MappedRequest {
  const url = new URL(req.url, 'http://local');
  const [, bucket = '', ...rest] = url.pathname.split('/');
  const key = rest.map((p) => decodeURIComponent(p)).join('/');
  const q = url.searchParams;
  const m = req.method.toUpperCase();
  const bucketArn = `arn:aws:s3:::${decodeURIComponent(bucket)}`;
  const objectArn = `${bucketArn}/${key}`;
  const one = (action: string, resource: string, context: AuthCheck['context'] = {}): MappedRequest => ({
    protocol: 's3',
    checks: [{ action, resource, context }],
  });
  if (!bucket) return one('s3:ListAllMyBuckets', '*');
  if (key) {
    // Object Lock: reading or setting an object's retention, and bypassing governance to shorten it.
    if (q.has('retention')) {
      if (m !== 'PUT') return one('s3:GetObjectRetention', objectArn);
      const checks: AuthCheck[] = [{ action: 's3:PutObjectRetention', resource: objectArn, context: {} }];
      if (header(req.headers, 'x-amz-bypass-governance-retention') === 'true')
        checks.push({ action: 's3:BypassGovernanceRetention', resource: objectArn, context: {} });
      return { protocol: 's3', checks };
    }
    if (m === 'GET' || m === 'HEAD') {
      // HeadObject is authorized as s3:GetObject; a version in the query as GetObjectVersion.
      if (q.has('tagging')) return one('s3:GetObjectTagging', objectArn);
      return one(q.has('versionId') ? 's3:GetObjectVersion' : 's3:GetObject', objectArn);
    }
    if (m === 'PUT') {
      const checks: AuthCheck[] = [{ action: 's3:PutObject', resource: objectArn, context: {} }];
      // A PUT that sets Object Lock retention is also authorized as s3:PutObjectRetention.
      if (
        header(req.headers, 'x-amz-object-lock-mode') ||
        header(req.headers, 'x-amz-object-lock-retain-until-date')
      )
        checks.push({ action: 's3:PutObjectRetention', resource: objectArn, context: {} });
      const copySource = header(req.headers, 'x-amz-copy-source');
      if (copySource) {
        const src = decodeURIComponent(copySource.replace(/^\//, '').split('?')[0] ?? '');
        checks.push({ action: 's3:GetObject', resource: `arn:aws:s3:::${src}`, context: {} });
      }
      return { protocol: 's3', checks };
    }
    if (m === 'POST') return one('s3:PutObject', objectArn);
    if (m === 'DELETE') {
      if (q.has('uploadId')) return one('s3:AbortMultipartUpload', objectArn);
      return one(q.has('versionId') ? 's3:DeleteObjectVersion' : 's3:DeleteObject', objectArn);
    }
  }
  if (m === 'GET' || m === 'HEAD') {
    if (m === 'HEAD') return one('s3:ListBucket', bucketArn);
    if (q.has('location')) return one('s3:GetBucketLocation', bucketArn);
    if (q.has('versions'))
      return one('s3:ListBucketVersions', bucketArn, { 's3:prefix': q.get('prefix') ?? '' });
    if (q.has('uploads')) return one('s3:ListBucketMultipartUploads', bucketArn);
    return one('s3:ListBucket', bucketArn, {
      's3:prefix': q.get('prefix') ?? '',
      ...(q.get('delimiter') ? { 's3:delimiter': q.get('delimiter')! } : {}),
      ...(q.get('max-keys') ? { 's3:max-keys': q.get('max-keys')! } : {}),
    });
  }
  if (m === 'POST' && q.has('delete')) {
    const keys = [...req.body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((x) => x[1] ?? '');
    return {
      protocol: 's3',
      checks: keys.map((k) => ({ action: 's3:DeleteObject', resource: `${bucketArn}/${k}`, context: {} })),
    };
  }
  if (m === 'PUT') return one('s3:CreateBucket', bucketArn);
  if (m === 'DELETE') return one('s3:DeleteBucket', bucketArn);
  return one('s3:ListBucket', bucketArn);
}

/** The access key of a SigV4-signed request (header or presigned query), if any. */
export function accessKeyOf(req: Pick<IncomingRequest, 'url' | 'headers'>): string | undefined {
  const auth = header(req.headers, 'authorization');
  const fromHeader = /Credential=([^/,\s]+)\//.exec(auth)?.[1];
  if (fromHeader) return fromHeader;
  const cred = new URL(req.url, 'http://local').searchParams.get('X-Amz-Credential');
  return cred?.split('/')[0] || undefined;
}
