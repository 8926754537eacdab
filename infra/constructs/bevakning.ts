import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';
import { AppFunction } from './app-function.js';
import { ARKIV_PREFIX } from '../../events/storage-layout.js';
import { SecureQueue, grantObjectWrite, grantTableReadWrite, type DataResources } from './data-access.js';
import type { MailSending } from './mail-sending.js';

export interface BevakningProps {
  readonly config: StageConfig;
  readonly data: DataResources;
  readonly mail: MailSending;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The daily follow-up of what is due (domain/bevakning): reminders to insatsägare and the kansli's list. Run by
 * EventBridge Scheduler at 07:00 Europe/Stockholm (the schedule's own time zone, so the hour follows summer
 * time); a run that fails is retried by Scheduler and then parked in the schedule's DLQ.
 */
export class Bevakning extends Construct {
  readonly bevakning: AppFunction;
  /** Invocations Scheduler could not make, and the function's asynchronous failures. */
  readonly dlq: sqs.Queue;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: BevakningProps) {
    super(scope, id);
    const { config, data } = props;
    this.dlq = new SecureQueue(this, 'BevakningDlq', {
      purpose: 'bevakning (schedule and async invocations)',
    }).queue;
    this.bevakning = new AppFunction(this, 'BevakningFunction', {
      entry: 'functions/bevakning/handler.ts',
      description: 'Daily bevakning: slutrapport reminders, unanswered kompletteringar, the kansli list',
      memorySize: 256,
      timeout: Duration.minutes(5),
      logRetention: props.logRetention,
      onFailure: new destinations.SqsDestination(this.dlq),
      // Scheduler invokes asynchronously: its retries cover a failed invoke, Lambda's these a failed run (a run
      // is idempotent, so a retry sends only what did not go).
      retryAttempts: 2,
      environment: {
        TABLE_NAME: data.table.tableName,
        INBOUND_BUCKET: data.bucket.bucketName,
        DIARIUM_SERIE: config.diariumSerie,
        MAIL_FROM: config.mailFrom,
        MAIL_REPLY_TO: config.replyTo,
        ...props.mail.environment,
        KANSLI_EMAIL: config.kansliEmail,
        BEVAKNING: JSON.stringify(config.bevakning),
      },
    });
    // Reads the register and the diarium; writes the claimed steps, the kansli's dates and the log entries.
    grantTableReadWrite(this.bevakning, data);
    props.mail.grantSend(this.bevakning, config.domain);
    grantObjectWrite(
      this.bevakning,
      data,
      [ARKIV_PREFIX.handling],
      'bevakning keeps each reminder as sent (an expedierad handling) among the handlingar.',
    );
    Validations.of(this.bevakning.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Asynchronous failures go to an on-failure destination (BevakningDlq), which supersedes a DLQ.',
    });

    this.schedule = new scheduler.Schedule(this, 'DailySchedule', {
      description: 'Daily bevakning of slutrapporter and kompletteringar',
      schedule: scheduler.ScheduleExpression.cron({
        minute: '0',
        hour: '7',
        // CDK's list lacks Europe/Stockholm (an alias in recent tzdata); Scheduler takes the IANA name.
        timeZone: TimeZone.of('Europe/Stockholm'),
      }),
      target: this.target(),
    });
  }

  /**
   * The schedule's target with its own role: invoke exactly this function (CDK's LambdaInvoke also grants
   * `<function>:*`, every version and alias) and send to the DLQ; assumable by Scheduler for this account only
   * (the confused-deputy condition of the Scheduler execution role page, docs/deploy.md).
   */
  private target(): scheduler.IScheduleTarget {
    const fn = this.bevakning.function;
    const role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: invoke the bevakning function, park failures in its DLQ',
    });
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
    );
    this.dlq.grantSendMessages(role);
    const dlq = this.dlq;
    return {
      bind: () => ({
        arn: fn.functionArn,
        role,
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 6 * 3600 },
        deadLetterConfig: { arn: dlq.queueArn },
      }),
    };
  }
}
