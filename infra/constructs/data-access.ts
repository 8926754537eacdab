import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AppFunction } from './app-function.js';

/** Table, bucket and key of the stateful stack, as the service stack sees them. */
export interface DataResources {
  // Concrete classes: with exactOptionalPropertyTypes, CDK's classes do not satisfy their own interfaces.
  readonly table: dynamodb.Table;
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  /** Object Lock retention (days) of every record: the stage's objectLockRetentionDays. */
  readonly retentionDays: number;
}

// Only the operations the adapters send (functions/adapters/dynamo-*): no BatchWriteItem, and no DeleteItem
// (registrations are never deleted, makulering is an update; link items expire by TTL). A transaction needs
// the single-item action of each of its items.
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:Query'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];

/**
 * Table operations only some functions send: BatchGetItem (the postlista's ärenden) and ConditionCheckItem
 * (beslut's transaction checks that the granskning is still open).
 */
export type TableExtra = 'dynamodb:BatchGetItem' | 'dynamodb:ConditionCheckItem';

function tableResources(table: dynamodb.Table): string[] {
  // Named indexes instead of index/* keep the grant free of wildcards.
  return [
    table.tableArn,
    `${table.tableArn}/index/gsi1`,
    `${table.tableArn}/index/gsi2`,
    `${table.tableArn}/index/gsi4`,
  ];
}

export function grantTableRead(fn: AppFunction, data: DataResources, extra: TableExtra[] = []): void {
  fn.allow([...TABLE_READ, ...extra], tableResources(data.table));
  fn.allow(['kms:Decrypt', 'kms:DescribeKey'], [data.key.keyArn]);
}

export function grantTableReadWrite(fn: AppFunction, data: DataResources, extra: TableExtra[] = []): void {
  fn.allow([...TABLE_READ, ...TABLE_WRITE, ...extra], tableResources(data.table));
  fn.allow(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], [data.key.keyArn]);
}

/**
 * Read objects under the given prefixes (the current version: no reader names a VersionId, so no
 * s3:GetObjectVersion). An object ARN under a prefix needs a trailing `*`, which cdk-nag reports as a
 * wildcard: acknowledged here for exactly those ARNs.
 */
export function grantObjectRead(
  fn: AppFunction,
  data: DataResources,
  prefixes: string[],
  reason: string,
): void {
  const resources = prefixes.map((prefix) => data.bucket.arnForObjects(`${prefix}*`));
  fn.allow(['s3:GetObject'], resources);
  fn.allow(['kms:Decrypt'], [data.key.keyArn]);
  acknowledgePrefixWildcards(fn, data, prefixes, reason);
}

export function grantObjectWrite(
  fn: AppFunction,
  data: DataResources,
  prefixes: string[],
  reason: string,
): void {
  const resources = prefixes.map((prefix) => data.bucket.arnForObjects(`${prefix}*`));
  // Every write carries its own Object Lock retention, which S3 authorizes as s3:PutObjectRetention.
  fn.allow(['s3:PutObject', 's3:PutObjectRetention'], resources);
  fn.allow(['kms:GenerateDataKey', 'kms:Decrypt'], [data.key.keyArn]);
  fn.function.addEnvironment(RETENTION_DAYS, String(data.retentionDays));
  acknowledgePrefixWildcards(fn, data, prefixes, reason);
}

/** The functions' setting for the retention of what they write or retain (functions/runtime/config.ts). */
export const RETENTION_DAYS = 'RETENTION_DAYS';

/**
 * Put objects that arrived without retention (SES's raw mail, kansli uploads) under the records retention:
 * read it, and extend it (shortening governance retention needs the bypass the bucket policy denies).
 */
export function grantRetain(fn: AppFunction, data: DataResources, prefixes: string[], reason: string): void {
  const resources = prefixes.map((prefix) => data.bucket.arnForObjects(`${prefix}*`));
  fn.allow(['s3:GetObjectRetention', 's3:PutObjectRetention'], resources);
  fn.function.addEnvironment(RETENTION_DAYS, String(data.retentionDays));
  acknowledgePrefixWildcards(fn, data, prefixes, reason);
}

/**
 * Take processed objects out of an inbox: DeleteObject without a version id, which on the versioned bucket only
 * adds a delete marker (deleting a version stays denied by the bucket policy), and GetObjectVersion, so a late
 * duplicate event still reads the version it names.
 */
export function grantInboxDrain(
  fn: AppFunction,
  data: DataResources,
  prefixes: string[],
  reason: string,
): void {
  const resources = prefixes.map((prefix) => data.bucket.arnForObjects(`${prefix}*`));
  fn.allow(['s3:DeleteObject', 's3:GetObjectVersion'], resources);
  acknowledgePrefixWildcards(fn, data, prefixes, reason);
}

/** ListBucket restricted to keys under the given prefixes (ListObjectsV2; no version listing). */
export function grantListPrefixes(fn: AppFunction, data: DataResources, prefixes: string[]): void {
  fn.allow(['s3:ListBucket'], [data.bucket.bucketArn], {
    StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) },
  });
}

/**
 * SES v2 SendEmail from the verified domain identity only, through the configuration set when one is named
 * (SES authorizes both). The adapter sends Simple content, which SES v2 authorizes as ses:SendEmail;
 * ses:SendRawEmail is the v1 raw API's action, which nothing here calls.
 */
export function grantSendMail(fn: AppFunction, domain: string, configurationSetName?: string): void {
  const stack = Stack.of(fn);
  const arn = `arn:${stack.partition}:ses:${stack.region}:${stack.account}`;
  fn.allow(
    ['ses:SendEmail'],
    [
      `${arn}:identity/${domain}`,
      ...(configurationSetName ? [`${arn}:configuration-set/${configurationSetName}`] : []),
    ],
  );
}

const acknowledged = new WeakMap<AppFunction, Set<string>>();

function acknowledgePrefixWildcards(
  fn: AppFunction,
  data: DataResources,
  prefixes: string[],
  reason: string,
): void {
  const done = acknowledged.get(fn) ?? new Set<string>();
  acknowledged.set(fn, done);
  const pending = prefixes.filter((prefix) => !done.has(prefix));
  for (const prefix of pending) done.add(prefix);
  // cdk-nag names the ARN by its *resolved* form, which for the stateful stack's bucket is an import that
  // only exists after CDK has resolved cross-stack references: acknowledge in a validation hook, which runs
  // after that and before the nag plugins.
  fn.node.addValidation({
    validate: () => {
      const bucketRef = Stack.of(fn).resolve(data.bucket.bucketArn) as unknown;
      for (const prefix of pending) {
        Validations.of(fn.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${nagArnName(bucketRef)}/${prefix}*]`,
          reason: `Objects under ${prefix} only: ${reason}`,
        });
      }
      return [];
    },
  });
  if (!done.has('__star')) {
    done.add('__star');
    Validations.of(fn.role).acknowledge({
      id: 'Serverless-StarPermissions',
      reason: 'Only X-Ray (no resource ARNs) and S3 key-prefix ARNs end in "*".',
    });
  }
}

/** How cdk-nag prints a resolved ARN token in a finding id: `<LogicalId.Arn>`, or the export name. */
function nagArnName(resolved: unknown): string {
  if (typeof resolved === 'string') return resolved;
  const record = resolved as Record<string, unknown>;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `<${getAtt.map(String).join('.')}>`;
  const importValue = record['Fn::ImportValue'];
  if (typeof importValue === 'string') return importValue;
  return JSON.stringify(resolved);
}

export interface SecureQueueProps {
  /** The queue this one is the dead-letter queue of, for its description. */
  readonly purpose: string;
  readonly visibilityTimeout?: Duration;
  readonly deadLetterQueue?: sqs.DeadLetterQueue;
}

/** SQS queue with SSE, TLS-only access and 14 days' retention (enough to notice and redrive). */
export class SecureQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: SecureQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      // SQS-managed SSE: EventBridge, SNS and Lambda destinations can write without a key-policy dance.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      ...(props.visibilityTimeout ? { visibilityTimeout: props.visibilityTimeout } : {}),
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
    });
    if (!props.deadLetterQueue) {
      for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
        Validations.of(this.queue).acknowledge({
          id,
          reason: `This is the dead-letter queue of ${props.purpose}; it is alarmed on and redriven by hand.`,
        });
      }
    }
  }
}
