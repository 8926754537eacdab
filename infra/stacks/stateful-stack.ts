import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';
import { INKORG_PREFIX } from '../../events/storage-layout.js';
import { RecordsGuard } from '../constructs/records-guard.js';
import { LISTINDEX, LISTINDEX_ATTRIBUT } from '../../functions/adapters/dynamo-diarium/sok.js';

/** What gsi3 projects (its definition may not change before it is deleted: a projection is never updated). */
export const GSI3_ATTRIBUT = [
  'diarienummer',
  'arende',
  'mottagen',
  'ankomstdatum',
  'avsandare',
  'beskrivning',
  'bedomning',
  'granskning',
  'sekretess',
  'flaggor',
  'makulerad',
] as const;

export interface StatefulStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Everything that holds allmänna handlingar: the diarium table, the inbound bucket (every received mail,
 * versioned and object-locked), their KMS key and the SES receipt rule that writes into the bucket.
 * Nothing here is ever deleted by CloudFormation.
 */
export class StatefulStack extends Stack {
  readonly key: kms.Key;
  readonly table: dynamodb.Table;
  readonly inboundBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly receiptRuleSet: ses.ReceiptRuleSet;
  readonly guard: RecordsGuard;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.key = new kms.Key(this, 'DataKey', {
      description: 'Rapportflöde: diarium table and inbound bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.Table(this, 'DiariumTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      // Only link items carry `ttl`; registrations never do (gallring is a decision, not a timer).
      timeToLiveAttribute: 'ttl',
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of ['gsi1', 'gsi2']) {
      this.table.addGlobalSecondaryIndex({
        indexName: index,
        partitionKey: { name: `${index}pk`, type: dynamodb.AttributeType.STRING },
        sortKey: { name: `${index}sk`, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    // Superseded by gsi4 (the list reads it no more). A deploy creates or deletes one index at a time, so gsi3
    // is deleted by the deploy after the one that creates gsi4 (docs/deploy.md).
    this.table.addGlobalSecondaryIndex({
      indexName: 'gsi3',
      partitionKey: { name: 'gsi2pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi2sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...GSI3_ATTRIBUT],
    });
    // The kansli's diarium list: one small item per handling (its list row), a partition per month. Indexing
    // the handling itself read its whole item for every row on DynamoDB Local (bench: kansli).
    this.table.addGlobalSecondaryIndex({
      indexName: LISTINDEX,
      partitionKey: { name: 'gsi4pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi4sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...LISTINDEX_ATTRIBUT],
    });

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      // S3 server access logs can only be delivered to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // Access logs are operational records, not handlingar: keep them as long as the other logs.
        { expiration: Duration.days(config.logRetentionDays), noncurrentVersionExpiration: Duration.days(1) },
      ],
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log target itself; logging it into itself would loop.',
    });

    this.inboundBucket = new s3.Bucket(this, 'InboundBucket', {
      versioned: true,
      // Object Lock WITHOUT a default retention: SES does not deliver into a bucket with one. Every object gets
      // explicit governance retention instead: our writes carry it, SES's raw mail and uploads get it from the
      // ingest (PutObjectRetention). Governance, not compliance: a misplaced personnummer must remain erasable
      // by the break-glass role (RecordsGuard).
      objectLockEnabled: true,
      // SSE-KMS as the bucket default. SES's own "KMS" option is client-side encryption the JS SDK cannot read.
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // A CDK class as its own interface; the cast only works around exactOptionalPropertyTypes.
      serverAccessLogsBucket: this.accessLogsBucket as s3.IBucket,
      serverAccessLogsPrefix: 'inbound/',
      removalPolicy: RemovalPolicy.RETAIN,
      // No lifecycle rules: nothing received is deleted without a gallring decision.
    });

    // Object Created events to EventBridge, set on the CFN bucket directly: `eventBridgeEnabled: true` would
    // add CDK's bucket-notifications custom resource (a Lambda with a managed-policy role) for the same result.
    const cfnInbound = this.inboundBucket.node.defaultChild as s3.CfnBucket;
    cfnInbound.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };

    // SES may only write raw mail, only under raw/, and only for this account's receipt rules.
    const sesPrincipal = new iam.ServicePrincipal('ses.amazonaws.com');
    const sesConditions = {
      StringEquals: { 'aws:SourceAccount': this.account },
      ArnLike: {
        'aws:SourceArn': `arn:${this.partition}:ses:${this.region}:${this.account}:receipt-rule-set/*`,
      },
    };
    const bucketPolicyResult = this.inboundBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesToStoreRawMail',
        principals: [sesPrincipal],
        actions: ['s3:PutObject'],
        resources: [this.inboundBucket.arnForObjects(`${INKORG_PREFIX.epost}*`)],
        conditions: sesConditions,
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesToEncryptRawMailViaS3',
        principals: [sesPrincipal],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'aws:SourceAccount': this.account,
            'kms:ViaService': `s3.${this.region}.amazonaws.com`,
          },
        },
      }),
    );

    this.receiptRuleSet = new ses.ReceiptRuleSet(this, 'ReceiptRuleSet', { dropSpam: false });
    const rule = this.receiptRuleSet.addRule('InboundRule', {
      recipients: config.recipients,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      scanEnabled: true,
      enabled: true,
      // The S3 action is first (and only): every message is kept before anything can fail.
      actions: [
        {
          bind: () => ({
            s3Action: { bucketName: this.inboundBucket.bucketName, objectKeyPrefix: INKORG_PREFIX.epost },
          }),
        },
      ],
    });
    // SES checks that it may write when the rule is created.
    if (bucketPolicyResult.policyDependable) rule.node.addDependency(bucketPolicyResult.policyDependable);
    rule.node.addDependency(this.key);

    this.guard = new RecordsGuard(this, 'RecordsGuard', {
      config,
      bucket: this.inboundBucket,
      table: this.table,
      key: this.key,
    });

    new CfnOutput(this, 'ReceiptRuleSetName', {
      value: this.receiptRuleSet.receiptRuleSetName,
      description: 'Activate with: aws ses set-active-receipt-rule-set --rule-set-name <this value>',
    });
    new CfnOutput(this, 'InboundBucketName', { value: this.inboundBucket.bucketName });
    new CfnOutput(this, 'BreakGlassRoleArn', {
      value: this.guard.breakGlassRole.roleArn,
      description: 'Assume with MFA only for a recorded gallring or correction decision (docs/deploy.md)',
    });
    new CfnOutput(this, 'DiariumTableName', { value: this.table.tableName });
    // A point-in-time restore must be encrypted with this key (docs/deploy.md, restore).
    new CfnOutput(this, 'DataKeyArn', { value: this.key.keyArn });
    new CfnOutput(this, 'MxRecord', { value: `10 inbound-smtp.${this.region}.amazonaws.com` });
  }
}
