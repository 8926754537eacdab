import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { IamEnforcer } from './enforcer.js';
import { asFunction, tagFunctionRequests } from './in-process.js';
import { extractPolicies } from './policies.js';
import { startIamProxies, type IamProxies } from './proxy.js';
import { accessKeyOf, mapRequest } from './request-map.js';
import { LOCAL_STACK_NAMES, synthTemplates } from './templates.js';

const ctx = {
  accountId: '000000000000',
  region: 'eu-west-1',
  stateMachineArn: LOCAL_STACK_NAMES.stateMachineArn,
};
const req = (method: string, url: string, headers: Record<string, string> = {}, body = '') => ({
  method,
  url,
  headers,
  body: Buffer.from(body),
});
const ddb = (op: string, body: unknown) =>
  req('POST', '/', { 'x-amz-target': `DynamoDB_20120810.${op}` }, JSON.stringify(body));
const TABLE = 'arn:aws:dynamodb:eu-west-1:000000000000:table/t';

describe('request → IAM action', () => {
  it('maps DynamoDB targets to dynamodb:<Op> on the table, an index query to the index', () => {
    expect(mapRequest('dynamodb', ddb('PutItem', { TableName: 't' }), ctx).checks).toEqual([
      { action: 'dynamodb:PutItem', resource: TABLE, context: {} },
    ]);
    expect(
      mapRequest('dynamodb', ddb('Query', { TableName: 't', IndexName: 'gsi1' }), ctx).checks[0],
    ).toMatchObject({ action: 'dynamodb:Query', resource: `${TABLE}/index/gsi1` });
  });

  it('checks each item of a transaction as the single-item action on its own table', () => {
    const body = {
      TransactItems: [
        { Put: { TableName: 't' } },
        { Update: { TableName: 'u' } },
        { ConditionCheck: { TableName: 't' } },
        { Delete: { TableName: 't' } },
      ],
    };
    expect(
      mapRequest('dynamodb', ddb('TransactWriteItems', body), ctx).checks.map((c) => [c.action, c.resource]),
    ).toEqual([
      ['dynamodb:PutItem', TABLE],
      ['dynamodb:UpdateItem', 'arn:aws:dynamodb:eu-west-1:000000000000:table/u'],
      ['dynamodb:ConditionCheckItem', TABLE],
      ['dynamodb:DeleteItem', TABLE],
    ]);
  });

  it('maps S3 methods and paths: HeadObject is s3:GetObject, a listing is ListBucket with s3:prefix', () => {
    const one = (m: string, url: string) => mapRequest('s3', req(m, url), ctx).checks[0];
    expect(one('GET', '/b/raw/a%20b')).toEqual({
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/raw/a b',
      context: {},
    });
    expect(one('HEAD', '/b/raw/x')?.action).toBe('s3:GetObject');
    expect(one('PUT', '/b/handlingar/x')?.action).toBe('s3:PutObject');
    expect(one('DELETE', '/b/x')?.action).toBe('s3:DeleteObject');
    expect(one('GET', '/b?list-type=2&prefix=raw%2F')).toEqual({
      action: 's3:ListBucket',
      resource: 'arn:aws:s3:::b',
      context: { 's3:prefix': 'raw/' },
    });
    expect(one('GET', '/b/x?versionId=3')?.action).toBe('s3:GetObjectVersion');
  });

  it('maps SES v2 sends to the From identity, SFN and EventBridge by X-Amz-Target', () => {
    const ses = mapRequest(
      'ses',
      req(
        'POST',
        '/v2/email/outbound-emails',
        {},
        JSON.stringify({ FromEmailAddress: 'Rapportflöde <noreply@finsamgavleborg.se>' }),
      ),
      ctx,
    );
    expect(ses.checks[0]).toMatchObject({
      action: 'ses:SendEmail',
      resource: 'arn:aws:ses:eu-west-1:000000000000:identity/finsamgavleborg.se',
    });
    const sfn = mapRequest(
      'aws',
      req('POST', '/', { 'x-amz-target': 'AWSStepFunctions.SendTaskSuccess' }, '{"taskToken":"x"}'),
      ctx,
    );
    expect(sfn.checks[0]).toEqual({
      action: 'states:SendTaskSuccess',
      resource: ctx.stateMachineArn,
      context: {},
    });
    const ev = mapRequest(
      'aws',
      req(
        'POST',
        '/',
        { 'x-amz-target': 'AWSEvents.PutEvents' },
        JSON.stringify({ Entries: [{ EventBusName: 'bus', Source: 's' }] }),
      ),
      ctx,
    );
    expect(ev.checks[0]).toMatchObject({
      action: 'events:PutEvents',
      resource: 'arn:aws:events:eu-west-1:000000000000:event-bus/bus',
    });
  });

  it('reads the access key from the Authorization header or a presigned URL', () => {
    expect(
      accessKeyOf(
        req('GET', '/', {
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIALOCALINGEST/20260101/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=x',
        }),
      ),
    ).toBe('AKIALOCALINGEST');
    expect(
      accessKeyOf(
        req('GET', '/b/k?X-Amz-Credential=AKIALOCALBESLUT%2F20260101%2Feu-west-1%2Fs3%2Faws4_request'),
      ),
    ).toBe('AKIALOCALBESLUT');
    expect(accessKeyOf(req('GET', '/'))).toBeUndefined();
  });
});

/** A two-function app: a writer with S3 and DynamoDB grants, and a bucket policy with an explicit Deny. */
const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const miniTemplate = {
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    InboundBucket1234: { Type: 'AWS::S3::Bucket', Properties: {} },
    InboundBucketPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'InboundBucket1234' },
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Resource: [arn('InboundBucket1234'), { 'Fn::Join': ['', [arn('InboundBucket1234'), '/*']] }],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:GetObject',
              Resource: { 'Fn::Join': ['', [arn('InboundBucket1234'), '/hemligt/*']] },
            },
          ],
        },
      },
    },
    WriterRole: { Type: 'AWS::IAM::Role', Properties: { Description: 'Rapportflöde WriterFunction' } },
    WriterPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Roles: [{ Ref: 'WriterRole' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
              Resource: { 'Fn::ImportValue': 'Stateful:TableArn' },
            },
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: { 'Fn::Join': ['', [arn('InboundBucket1234'), '/*']] },
            },
            {
              Effect: 'Allow',
              Action: 'ses:SendEmail',
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':ses:eu-west-1:',
                    { Ref: 'AWS::AccountId' },
                    ':identity/example.se',
                  ],
                ],
              },
            },
            { Effect: 'Allow', Action: 'xray:PutTraceSegments', Resource: '*' },
          ],
        },
      },
    },
    WriterFunction: { Type: 'AWS::Lambda::Function', Properties: { Role: arn('WriterRole') } },
  },
  Outputs: { TableArn: { Value: arn('Table'), Export: { Name: 'Stateful:TableArn' } } },
};
const names = { ...LOCAL_STACK_NAMES, table: 'tabell', bucket: 'inkorg' };

describe('evaluation against the role and the resource policies', () => {
  const enforcer = new IamEnforcer(extractPolicies([miniTemplate], names));

  it('extracts the function with its resolved policy', () => {
    const fn = enforcer.role('writer');
    expect(fn?.principalArn).toBe('arn:aws:sts::000000000000:assumed-role/WriterRole/writer');
    expect(JSON.stringify(fn?.policies)).toContain('arn:aws:dynamodb:eu-west-1:000000000000:table/tabell');
    expect(enforcer.policies.resourcePolicies.has('arn:aws:s3:::inkorg')).toBe(true);
  });

  it('allows a granted call, denies an ungranted one, and an explicit Deny in the bucket policy wins', async () => {
    const check = (action: string, resource: string) =>
      enforcer.authorize('writer', { action, resource, context: {} });
    expect(
      (await check('dynamodb:PutItem', 'arn:aws:dynamodb:eu-west-1:000000000000:table/tabell')).decision,
    ).toBe('Allowed');
    expect(
      (await check('dynamodb:DeleteItem', 'arn:aws:dynamodb:eu-west-1:000000000000:table/tabell')).decision,
    ).toBe('ImplicitlyDenied');
    expect((await check('s3:GetObject', 'arn:aws:s3:::inkorg/raw/a')).decision).toBe('Allowed');
    expect((await check('s3:GetObject', 'arn:aws:s3:::inkorg/hemligt/a')).decision).toBe('ExplicitlyDenied');
  });

  it('lists granted actions never called, apart from what the platform uses', () => {
    const fresh = new IamEnforcer(extractPolicies([miniTemplate], names));
    fresh.calls.push({ fnId: 'writer', action: 'dynamodb:GetItem', resource: '*', decision: 'Allowed' });
    expect(fresh.unusedGrants()).toEqual([
      {
        fnId: 'writer',
        unused: ['dynamodb:PutItem', 's3:GetObject', 'ses:SendEmail'],
        notObservable: ['xray:PutTraceSegments'],
      },
    ]);
  });
});

describe('the proxies answer a denied call as the service does', () => {
  let upstream: http.Server;
  let proxies: IamProxies;
  const seen: string[] = [];

  beforeAll(async () => {
    // A stand-in emulator: every request that reaches it succeeds.
    upstream = http.createServer((rq, rs) => {
      seen.push(`${rq.method} ${rq.url} ${String(rq.headers['x-rapportflode-function'] ?? '')}`);
      rq.resume();
      rq.on('end', () => {
        if (String(rq.headers['x-amz-target'] ?? '').startsWith('DynamoDB')) {
          rs.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
          rs.end('{}');
        } else if (rq.url?.startsWith('/v2/')) {
          rs.writeHead(200, { 'content-type': 'application/json' });
          rs.end('{"MessageId":"m"}');
        } else {
          rs.writeHead(200, { 'content-type': 'text/plain', etag: '"e"' });
          rs.end(rq.method === 'HEAD' ? undefined : 'innehåll');
        }
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    proxies = await startIamProxies({
      targets: { dynamodb: url, s3: url, ses: url },
      templates: [miniTemplate],
      names,
    });
  });
  afterAll(async () => {
    await proxies.close();
    await new Promise<void>((r) => upstream.close(() => r()));
  });

  const s3 = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    new S3Client({ endpoint: proxies.endpoints.s3!, region: 'eu-west-1', forcePathStyle: true, credentials });
  const admin = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

  it('DynamoDB: AccessDeniedException for an ungranted table action, the call through when granted', async () => {
    const client = new DynamoDBClient({
      endpoint: proxies.endpoints.dynamodb!,
      region: 'eu-west-1',
      credentials: proxies.credentialsFor('writer'),
      maxAttempts: 1,
    });
    await expect(
      client.send(new GetItemCommand({ TableName: 'tabell', Key: { pk: { S: 'a' } } })),
    ).resolves.toBeDefined();
    const err = await client
      .send(new PutItemCommand({ TableName: 'annan', Item: { pk: { S: 'a' } } }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    expect((err as Error).message).toContain('is not authorized to perform: dynamodb:PutItem');
  });

  it('S3: AccessDenied (403) for an explicit Deny, a 403 for HEAD, admin passes through', async () => {
    const writer = s3(proxies.credentialsFor('writer'));
    await expect(
      writer.send(new GetObjectCommand({ Bucket: 'inkorg', Key: 'raw/a' })),
    ).resolves.toBeDefined();
    const err = await writer
      .send(new GetObjectCommand({ Bucket: 'inkorg', Key: 'hemligt/a' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3ServiceException);
    expect(err).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const put = await writer
      .send(new PutObjectCommand({ Bucket: 'inkorg', Key: 'raw/a', Body: 'x' }))
      .catch((e: unknown) => e);
    expect(put).toMatchObject({ name: 'AccessDenied' });
    const head = await writer
      .send(new HeadObjectCommand({ Bucket: 'inkorg', Key: 'hemligt/a' }))
      .catch((e: unknown) => e);
    expect(head).toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(
      s3(admin).send(new PutObjectCommand({ Bucket: 'inkorg', Key: 'hemligt/a', Body: 'x' })),
    ).resolves.toBeDefined();
  });

  it('SES v2: AccessDeniedException when the From identity is not granted', async () => {
    const ses = new SESv2Client({
      endpoint: proxies.endpoints.ses!,
      region: 'eu-west-1',
      credentials: proxies.credentialsFor('writer'),
    });
    const send = (from: string) =>
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: ['a@b.se'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
        }),
      );
    await expect(send('noreply@example.se')).resolves.toBeDefined();
    await expect(send('noreply@annat.se')).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('in-process handlers are identified by the context the stack invokes them in', async () => {
    const stop = tagFunctionRequests(Object.values(proxies.endpoints));
    try {
      const client = s3(admin);
      await expect(
        client.send(new GetObjectCommand({ Bucket: 'inkorg', Key: 'hemligt/b' })),
      ).resolves.toBeDefined();
      await expect(
        asFunction('writer', () => client.send(new GetObjectCommand({ Bucket: 'inkorg', Key: 'hemligt/b' }))),
      ).rejects.toMatchObject({ name: 'AccessDenied' });
      // The tag never reaches the emulator.
      expect(seen.every((s) => !s.endsWith('writer'))).toBe(true);
    } finally {
      stop();
    }
  });

  it('records the calls and reports the grants never used', () => {
    expect(proxies.denied().map((c) => c.action)).toContain('dynamodb:PutItem');
    expect(proxies.unusedGrants()[0]?.unused).toEqual(['dynamodb:PutItem']);
  });
});

describe('the synthesized templates', () => {
  const enforcer = new IamEnforcer(extractPolicies(synthTemplates(), LOCAL_STACK_NAMES));
  const bucket = `arn:aws:s3:::${LOCAL_STACK_NAMES.bucket}`;

  it('gives every function its own role, named as its directory under functions/', () => {
    expect(enforcer.functionIds()).toEqual([
      'beslut',
      'bevakning',
      'granskning-finalize',
      'granskning-task',
      'ingest',
      'kansli',
      'mail-handelse',
      'postlista',
      'reconcile',
      'start-granskning',
    ]);
  });

  it('enforces the prefixes the stack grants: ingest reads raw/ and writes handlingar/, not the reverse', async () => {
    const check = (fn: string, action: string, resource: string, context = {}) =>
      enforcer.authorize(fn, { action, resource, context }).then((r) => r.decision);
    expect(await check('ingest', 's3:GetObject', `${bucket}/raw/abc`)).toBe('Allowed');
    expect(await check('ingest', 's3:PutObject', `${bucket}/handlingar/x.pdf`)).toBe('Allowed');
    expect(await check('ingest', 's3:PutObject', `${bucket}/raw/abc`)).toBe('ImplicitlyDenied');
    expect(await check('reconcile', 's3:ListBucket', bucket, { 's3:prefix': 'raw/' })).toBe('Allowed');
    expect(await check('reconcile', 's3:ListBucket', bucket, { 's3:prefix': 'handlingar/' })).toBe(
      'ImplicitlyDenied',
    );
    expect(
      await check(
        'postlista',
        'dynamodb:PutItem',
        `arn:aws:dynamodb:eu-west-1:000000000000:table/${LOCAL_STACK_NAMES.table}`,
      ),
    ).toBe('ImplicitlyDenied');
    expect(await check('start-granskning', 'states:StartExecution', LOCAL_STACK_NAMES.stateMachineArn)).toBe(
      'Allowed',
    );
    // Task tokens are authorized against their state machine, whatever the simulator's action data says.
    expect(await check('beslut', 'states:SendTaskSuccess', LOCAL_STACK_NAMES.stateMachineArn)).toBe(
      'Allowed',
    );
    // granskning-task hands over a decision reached while its previous wait timed out.
    expect(await check('granskning-task', 'states:SendTaskSuccess', LOCAL_STACK_NAMES.stateMachineArn)).toBe(
      'Allowed',
    );
    // The ingest queue by its local name: the reconciliation re-drives and the kansli asks for a reading there.
    const queue = `arn:aws:sqs:eu-west-1:000000000000:${LOCAL_STACK_NAMES.ingestQueue}`;
    expect(await check('kansli', 'sqs:SendMessage', queue)).toBe('Allowed');
    expect(await check('reconcile', 'sqs:SendMessage', queue)).toBe('Allowed');
    expect(await check('beslut', 'sqs:SendMessage', queue)).toBe('ImplicitlyDenied');
    expect(
      mapRequest(
        'aws',
        req(
          'POST',
          '/',
          { 'x-amz-target': 'AmazonSQS.SendMessage' },
          JSON.stringify({ QueueUrl: `http://127.0.0.1:4010/000000000000/${LOCAL_STACK_NAMES.ingestQueue}` }),
        ),
        ctx,
      ).checks,
    ).toEqual([{ action: 'sqs:SendMessage', resource: queue, context: {} }]);
    // What no code sends is not granted: beslut never fails a task, start-granskning reads no table.
    expect(await check('beslut', 'states:SendTaskFailure', LOCAL_STACK_NAMES.stateMachineArn)).toBe(
      'ImplicitlyDenied',
    );
    expect(
      await check(
        'start-granskning',
        'dynamodb:GetItem',
        `arn:aws:dynamodb:eu-west-1:000000000000:table/${LOCAL_STACK_NAMES.table}`,
      ),
    ).toBe('ImplicitlyDenied');
  });
});
