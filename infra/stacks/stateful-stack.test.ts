import { LISTINDEX_ATTRIBUT } from '../../functions/adapters/dynamo-diarium/sok.js';
import { GSI3_ATTRIBUT } from './stateful-stack.js';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalId, only, resourcesOfType, synthesize } from '../test-helpers.js';
import type { Synthesized } from '../test-helpers.js';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

describe('diarium table', () => {
  it('has pk/sk keys, two GSIs projecting ALL, the list index on gsi2 keys and TTL on `ttl`', () => {
    s.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'gsi2',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'gsi3',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...GSI3_ATTRIBUT] },
        },
        {
          IndexName: 'gsi4',
          KeySchema: [
            { AttributeName: 'gsi4pk', KeyType: 'HASH' },
            { AttributeName: 'gsi4sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...LISTINDEX_ATTRIBUT] },
        },
      ],
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('has point-in-time recovery, deletion protection and is retained', () => {
    s.stateful.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('is encrypted with the customer-managed key', () => {
    const keyId = logicalId(s.built.stateful.key);
    s.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    });
    s.stateful.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('keeps the construct id DiariumTable', () => {
    expect(logicalId(s.built.stateful.table)).toMatch(/^DiariumTable/);
  });
});

describe('inbound bucket', () => {
  const inbound = () =>
    only(
      resourcesOfType(s.statefulJson, 'AWS::S3::Bucket').filter(([id]) => id.startsWith('InboundBucket')),
    )[1];

  it('is versioned with Object Lock enabled and NO default retention (SES refuses a bucket with one)', () => {
    const props = inbound().Properties ?? {};
    expect(props['VersioningConfiguration']).toEqual({ Status: 'Enabled' });
    expect(props['ObjectLockEnabled']).toBe(true);
    const lock = props['ObjectLockConfiguration'] as Record<string, unknown> | undefined;
    // Either no configuration block or one without a Rule: retention is set per object.
    expect(lock?.['Rule']).toBeUndefined();
    expect(JSON.stringify(props)).not.toContain('DefaultRetention');
  });

  it('encrypts with SSE-KMS under the data key and a bucket key', () => {
    const keyId = logicalId(s.built.stateful.key);
    expect(inbound().Properties?.['BucketEncryption']).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
          },
        },
      ],
    });
  });

  it('blocks public access, logs access to the logs bucket and sends events to EventBridge', () => {
    const props = inbound().Properties ?? {};
    expect(props['PublicAccessBlockConfiguration']).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props['LoggingConfiguration']).toEqual({
      DestinationBucketName: { Ref: logicalId(s.built.stateful.accessLogsBucket) },
      LogFilePrefix: 'inbound/',
    });
    expect(props['NotificationConfiguration']).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
  });

  it('has no lifecycle rules and is retained', () => {
    const bucket = inbound();
    expect(bucket.Properties?.['LifecycleConfiguration']).toBeUndefined();
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('denies requests without TLS and lets only SES of this account put objects under raw/', () => {
    const bucketId = logicalId(s.built.stateful.inboundBucket);
    const policy = only(
      resourcesOfType(s.statefulJson, 'AWS::S3::BucketPolicy').filter(
        ([, p]) => JSON.stringify(p.Properties?.['Bucket']) === JSON.stringify({ Ref: bucketId }),
      ),
    )[1];
    const statements = (policy.Properties?.['PolicyDocument'] as { Statement: Record<string, unknown>[] })
      .Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const ses = statements.filter((st) => JSON.stringify(st['Principal']).includes('ses.amazonaws.com'));
    expect(ses).toHaveLength(1);
    expect(ses[0]).toMatchObject({
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/raw/*']] },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
  });

  it('denies bypassing governance, changing the lock or lifecycle and deleting versions to all but the break-glass role', () => {
    const bucketId = logicalId(s.built.stateful.inboundBucket);
    const roleId = logicalId(s.built.stateful.guard.breakGlassRole);
    const policy = only(
      resourcesOfType(s.statefulJson, 'AWS::S3::BucketPolicy').filter(
        ([, p]) => JSON.stringify(p.Properties?.['Bucket']) === JSON.stringify({ Ref: bucketId }),
      ),
    )[1];
    const statements = (policy.Properties?.['PolicyDocument'] as { Statement: Record<string, unknown>[] })
      .Statement;
    const guard = only(statements.filter((st) => st['Sid'] === 'DenyLockChangesExceptBreakGlass'));
    expect(guard).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [roleId, 'Arn'] } } },
    });
    expect([...(guard['Action'] as string[])].sort()).toEqual([
      's3:BypassGovernanceRetention',
      's3:DeleteObjectVersion',
      's3:PutBucketObjectLockConfiguration',
      's3:PutLifecycleConfiguration',
    ]);
    expect(JSON.stringify(guard['Resource'])).toContain('/*');
  });

  it('has a break-glass role only the account can assume, with MFA', () => {
    const role = resourcesOfType(s.statefulJson, 'AWS::IAM::Role').find(
      ([id]) => id === logicalId(s.built.stateful.guard.breakGlassRole),
    )?.[1];
    const trust = role?.Properties?.['AssumeRolePolicyDocument'] as { Statement: Record<string, unknown>[] };
    expect(only(trust.Statement)).toMatchObject({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      Principal: {
        AWS: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']],
        },
      },
    });
  });

  it('lets SES use the key only through S3 for this account', () => {
    s.stateful.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'ses.amazonaws.com' },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Condition: {
              StringEquals: {
                'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                'kms:ViaService': 's3.eu-west-1.amazonaws.com',
              },
            },
          }),
        ]),
      },
    });
  });

  it('the access-log bucket is SSE-S3, TLS-only and private', () => {
    s.stateful.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true }),
    });
  });
});

describe('SES receipt rule', () => {
  it('stores every message in raw/ as its first action, requires TLS and scans for spam and viruses', () => {
    const rule = only(resourcesOfType(s.statefulJson, 'AWS::SES::ReceiptRule'))[1];
    const props = rule.Properties as { Rule: Record<string, unknown>; RuleSetName: unknown };
    expect(props.Rule['TlsPolicy']).toBe('Require');
    expect(props.Rule['ScanEnabled']).toBe(true);
    expect(props.Rule['Enabled']).toBe(true);
    expect(props.Rule['Recipients']).toEqual([
      'kontakt@finsamgavleborg.se',
      'slutrapport@finsamgavleborg.se',
    ]);
    const actions = props.Rule['Actions'] as Record<string, unknown>[];
    expect(actions[0]).toEqual({
      S3Action: { BucketName: { Ref: logicalId(s.built.stateful.inboundBucket) }, ObjectKeyPrefix: 'raw/' },
    });
    // No SES-side ("client-side") KMS encryption: the bucket default SSE-KMS applies.
    expect(JSON.stringify(actions)).not.toContain('KmsKeyArn');
  });

  it('is created after the bucket policy that allows SES to write', () => {
    const rule = only(resourcesOfType(s.statefulJson, 'AWS::SES::ReceiptRule'))[1] as {
      DependsOn?: string[];
    };
    const policyId = only(
      resourcesOfType(s.statefulJson, 'AWS::S3::BucketPolicy').filter(([id]) =>
        id.startsWith('InboundBucket'),
      ),
    )[0];
    expect(rule.DependsOn).toContain(policyId);
  });
});

describe('backup of the diarium table', () => {
  it('backs the table up daily into a vault locked in compliance mode in prod, kept the configured days', () => {
    const days = s.built.config.backupRetentionDays;
    expect(days).toBe(35);
    s.stateful.hasResourceProperties('AWS::Backup::BackupVault', {
      // changeableFor ≥ 3 days: compliance mode, immutable after the cooling-off.
      LockConfiguration: { MinRetentionDays: days, ChangeableForDays: 3 },
      AccessPolicy: Match.anyValue(),
    });
    s.stateful.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Retain' });
    s.stateful.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            ScheduleExpression: 'cron(0 3 * * ? *)',
            Lifecycle: { DeleteAfterDays: days },
          }),
        ],
      },
    });
    const tableId = logicalId(s.built.stateful.table);
    s.stateful.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ Resources: [{ 'Fn::GetAtt': [tableId, 'Arn'] }] }),
    });
  });

  it('uses a governance-mode vault lock (no changeableFor) in lokal', () => {
    const lokal = synthesize({ stage: 'lokal' });
    const vault = only(resourcesOfType(lokal.statefulJson, 'AWS::Backup::BackupVault'))[1];
    expect(vault.Properties?.['LockConfiguration']).toEqual({
      MinRetentionDays: lokal.built.config.backupRetentionDays,
    });
  });
});

describe('physical names', () => {
  it('sets no bucket or table names', () => {
    for (const [, bucket] of resourcesOfType(s.statefulJson, 'AWS::S3::Bucket')) {
      expect(bucket.Properties?.['BucketName']).toBeUndefined();
    }
    for (const [, table] of resourcesOfType(s.statefulJson, 'AWS::DynamoDB::Table')) {
      expect(table.Properties?.['TableName']).toBeUndefined();
    }
  });
});
