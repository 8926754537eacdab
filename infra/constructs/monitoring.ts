import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
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

/** Custom metrics (Powertools, namespace Rapportflode, dimension service=rapportflode) that must stay at 0. */
export const ALARMED_CUSTOM_METRICS = ['ReconciliationFindings', 'QuarantinedMail'] as const;

export interface MonitoringProps {
  readonly alarmEmail?: string;
}

/** Alarms to one SNS topic the kansli subscribes to. Every alarm means "a person should look". */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  private readonly action: actions.SnsAction;

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
  }

  private alarm(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
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
