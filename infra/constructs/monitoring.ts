import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from './app-function.js';
import { SecureQueue } from './data-access.js';
import { ARKIV_PREFIX } from '../../events/storage-layout.js';
import { KEY_TAMPERING_CALLS } from './records-guard.js';

/** SES reputation thresholds the SES Developer Guide recommends alarming at ("Creating reputation monitoring alarms"). */
export const SES_BOUNCE_RATE_ALARM = 0.05;
export const SES_COMPLAINT_RATE_ALARM = 0.001;
/** An ingest message older than this has waited far beyond a normal extraction. */
export const INGEST_QUEUE_AGE_ALARM = Duration.minutes(30);

/** Custom metrics (Powertools, namespace Rapportflode, dimension service=rapportflode) that must stay at 0. */
export const ALARMED_CUSTOM_METRICS = ['ReconciliationFindings', 'QuarantinedMail'] as const;

export interface MonitoringProps {
  readonly alarmEmail?: string;
}

/** Alarms to one SNS topic the kansli subscribes to. Every alarm means "a person should look". */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  private readonly action: actions.SnsAction;
  private readonly topicKey: kms.Key;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    // CloudWatch cannot publish to a topic under the AWS-managed SNS key; a customer key with a grant can.
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Rapportflöde alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topicKey = key;
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Rapportflöde larm',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined) {
      const subscriptionDlq = new SecureQueue(this, 'AlarmSubscriptionDlq', {
        purpose: 'the alarm e-mail subscription',
      }).queue;
      this.topic.addSubscription(
        new subscriptions.EmailSubscription(props.alarmEmail, { deadLetterQueue: subscriptionDlq }),
      );
    }
    this.action = new actions.SnsAction(this.topic);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
    });
  }

  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    description: string,
    threshold: { value: number; orEqual?: boolean; treatMissingData?: cloudwatch.TreatMissingData } = {
      value: 0,
    },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: threshold.value,
      comparisonOperator: threshold.orEqual
        ? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
        : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: threshold.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }

  /** The oldest message of the ingest queue: mail waiting to be registered. */
  queueAge(id: string, queue: sqs.IQueue): cloudwatch.Alarm {
    const metric = queue.metricApproximateAgeOfOldestMessage({
      period: Duration.minutes(5),
      statistic: 'Maximum',
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${id}: äldsta meddelandets ålder (s)`,
        left: [metric],
        width: 12,
      }),
    );
    return this.alarm(
      `${id}OldestMessageAge`,
      metric,
      `A message has waited in ${id} for ${INGEST_QUEUE_AGE_ALARM.toMinutes()} minutes or more: is the ingest failing or throttled?`,
      { value: INGEST_QUEUE_AGE_ALARM.toSeconds(), orEqual: true },
    );
  }

  lambdaThrottles(id: string, fn: lambda.IFunction): cloudwatch.Alarm {
    return this.alarm(
      `${id}Throttles`,
      fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      `The function ${id} was throttled (account concurrency quota?).`,
    );
  }

  /** Errors, throttles and invocations of the functions, one graph each. */
  functionsWidgets(functions: Record<string, lambda.IFunction>): void {
    const entries = Object.entries(functions);
    const per = (f: (fn: lambda.IFunction) => cloudwatch.IMetric) =>
      entries.map(([name, fn]) => {
        const m = f(fn);
        return m instanceof cloudwatch.Metric ? m.with({ label: name }) : m;
      });
    const period = Duration.minutes(5);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Lambda: anrop',
        left: per((fn) => fn.metricInvocations({ period, statistic: 'Sum' })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda: fel',
        left: per((fn) => fn.metricErrors({ period, statistic: 'Sum' })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda: strypningar',
        left: per((fn) => fn.metricThrottles({ period, statistic: 'Sum' })),
        width: 8,
      }),
    );
  }

  /** Dead-letter queues on one graph: anything above 0 needs a person. */
  dlqWidget(queues: Record<string, sqs.IQueue>): void {
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues: meddelanden',
        left: Object.entries(queues).map(([name, q]) =>
          q.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(5),
            statistic: 'Maximum',
            label: name,
          }),
        ),
        width: 12,
      }),
    );
  }

  /**
   * The account's SES reputation (namespace AWS/SES, published by SES itself). SES reviews an account at 5 %
   * bounces or 0.1 % complaints and may pause sending at 10 % / 0.5 %; the alarms sit at the review level.
   */
  sesReputation(): void {
    const rate = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName,
        period: Duration.hours(1),
        statistic: 'Maximum',
      });
    const bounce = rate('Reputation.BounceRate');
    const complaint = rate('Reputation.ComplaintRate');
    // Missing data: keep the state (the SES guide's "ignore"); SES publishes only after mail has been sent.
    this.alarm('SesBounceRate', bounce, 'SES bounce rate ≥ 5 %: SES reviews the account (pause at 10 %).', {
      value: SES_BOUNCE_RATE_ALARM,
      orEqual: true,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    this.alarm(
      'SesComplaintRate',
      complaint,
      'SES complaint rate ≥ 0.1 %: SES reviews the account (pause at 0.5 %).',
      {
        value: SES_COMPLAINT_RATE_ALARM,
        orEqual: true,
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      },
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'SES: studsar och klagomål (andel)',
        left: [bounce, complaint],
        width: 12,
      }),
    );
  }

  /**
   * Any attempt to delete, disable or re-police the data key (it encrypts every record: without it the records
   * are unreadable, Object Lock or not) reaches the alarm topic. Matches the CloudTrail management event, so
   * the account needs a trail with management events (docs/deploy.md).
   */
  keyTampering(key: kms.IKey): events.Rule {
    const rule = new events.Rule(this, 'DataKeyTampering', {
      description: 'ScheduleKeyDeletion, DisableKey or PutKeyPolicy on the Rapportflöde data key',
      eventPattern: {
        source: ['aws.kms'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['kms.amazonaws.com'],
          eventName: [...KEY_TAMPERING_CALLS],
          resources: { ARN: [key.keyArn] },
        },
      },
    });
    const deliveryDlq = new SecureQueue(this, 'KeyTamperingDeliveryDlq', {
      purpose: 'the data-key tampering rule',
    }).queue;
    rule.addTarget(
      new targets.SnsTopic(this.topic, {
        deadLetterQueue: deliveryDlq,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    );
    this.dlqDepth('KeyTamperingDeliveryDlq', deliveryDlq);
    // EventBridge publishes to the encrypted topic with this key.
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeToPublish',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    return rule;
  }

  dlqDepth(id: string, queue: sqs.IQueue): cloudwatch.Alarm {
    return this.alarm(
      `${id}Depth`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      `Messages in the dead-letter queue ${id}: inspect and redrive.`,
    );
  }

  lambdaErrors(id: string, fn: lambda.IFunction): cloudwatch.Alarm {
    return this.alarm(
      `${id}Errors`,
      fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      `The function ${id} failed.`,
    );
  }

  stateMachine(stateMachine: sfn.IStateMachine): void {
    this.alarm(
      'GranskningExecutionsFailed',
      stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      'A granskning execution failed.',
    );
    this.alarm(
      'GranskningExecutionsTimedOut',
      stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' }),
      'A granskning execution timed out.',
    );
  }

  customMetrics(): void {
    for (const metricName of ALARMED_CUSTOM_METRICS) {
      this.alarm(
        metricName,
        new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName,
          dimensionsMap: { service: SERVICE_NAME },
          period: Duration.hours(1),
          statistic: 'Sum',
        }),
        metricName === 'QuarantinedMail'
          ? `Mail was quarantined (virus or dangerous content): check ${ARKIV_PREFIX.karantan} and tell the sender.`
          : 'Reconciliation found raw mail without a registration and re-drove it.',
      );
    }
  }
}
