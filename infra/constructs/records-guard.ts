import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';

/**
 * What nobody but the break-glass role may do to the records bucket: lift or bypass Object Lock, add expiry,
 * delete an object version. Governance retention alone already blocks deleting a locked version, but not the
 * seconds between SES's write and the ingest's PutObjectRetention, nor removing the guard by bypass.
 */
export const GUARDED_BUCKET_ACTIONS = [
  's3:BypassGovernanceRetention',
  's3:PutBucketObjectLockConfiguration',
  's3:PutLifecycleConfiguration',
  's3:DeleteObjectVersion',
] as const;

/** KMS calls on the data key that would make every record unreadable (or lock everyone out of the key). */
export const KEY_TAMPERING_CALLS = ['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy'] as const;

export interface RecordsGuardProps {
  readonly config: StageConfig;
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly key: kms.Key;
}

/**
 * Guards around the records store (docs/deploy.md, "Records store"): the bucket-policy denies with their one
 * exception (the break-glass role), and AWS Backup of the diarium table into a locked vault.
 */
export class RecordsGuard extends Construct {
  readonly breakGlassRole: iam.Role;
  readonly backupVault: backup.BackupVault;
  readonly backupPlan: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: RecordsGuardProps) {
    super(scope, id);
    const { bucket, config } = props;

    // Assumed by a person of the account, with MFA, for a gallring decision or a misplaced personnummer.
    this.breakGlassRole = new iam.Role(this, 'BreakGlassRole', {
      description:
        'Rapportflöde break-glass: the only principal that may bypass Object Lock (docs/deploy.md)',
      assumedBy: new iam.AccountRootPrincipal().withConditions({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
      maxSessionDuration: Duration.hours(1),
    });
    this.breakGlassRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ManageLockedRecords',
        actions: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:GetObjectRetention',
          's3:PutObjectRetention',
          's3:BypassGovernanceRetention',
          's3:DeleteObject',
          's3:DeleteObjectVersion',
        ],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    this.breakGlassRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ManageRecordsBucketLock',
        actions: [
          's3:ListBucket',
          's3:ListBucketVersions',
          's3:GetBucketObjectLockConfiguration',
          's3:PutBucketObjectLockConfiguration',
          's3:GetLifecycleConfiguration',
          's3:PutLifecycleConfiguration',
        ],
        resources: [bucket.bucketArn],
      }),
    );
    props.key.grantDecrypt(this.breakGlassRole);
    // cdk-nag names the ARN by its resolved form (`<LogicalId.Arn>`), known once the stack is complete.
    this.breakGlassRole.node.addValidation({
      validate: () => {
        const resolved = Stack.of(this).resolve(bucket.bucketArn) as { 'Fn::GetAtt'?: string[] };
        const name = `<${(resolved['Fn::GetAtt'] ?? []).join('.')}>`;
        Validations.of(this.breakGlassRole).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${name}/*]`,
          reason: 'The break-glass role acts on any object of the records bucket: that is its purpose.',
        });
        return [];
      },
    });

    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyLockChangesExceptBreakGlass',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...GUARDED_BUCKET_ACTIONS],
        resources: [bucket.bucketArn, bucket.arnForObjects('*')],
        // aws:PrincipalArn, not NotPrincipal (IAM User Guide, "AWS JSON policy elements: NotPrincipal").
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.breakGlassRole.roleArn } },
      }),
    );

    // Compliance mode in prod (changeableFor ≥ 3 days: immutable after the cooling-off); governance in lokal.
    const retention = Duration.days(config.backupRetentionDays);
    this.backupVault = new backup.BackupVault(this, 'BackupVault', {
      removalPolicy: RemovalPolicy.RETAIN,
      blockRecoveryPointDeletion: true,
      lockConfiguration: {
        minRetention: retention,
        ...(config.stage === 'prod' ? { changeableFor: Duration.days(3) } : {}),
      },
    });
    this.backupPlan = new backup.BackupPlan(this, 'BackupPlan', {
      backupVault: this.backupVault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'DailyDiarium',
          // 03:00 UTC, outside office hours in Sweden.
          scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
          deleteAfter: retention,
        }),
      ],
    });
    const selection = this.backupPlan.addSelection('Diarium', {
      resources: [backup.BackupResource.fromDynamoDbTable(props.table)],
      allowRestores: true,
    });
    for (const policy of ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores']) {
      Validations.of(selection).acknowledge({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
        reason: 'The AWS Backup service role policy, maintained by AWS for exactly this service role.',
      });
    }
  }
}
