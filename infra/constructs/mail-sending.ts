import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';
import { sesMailEventPattern } from '../../events/ses-mail-event.js';
import { AppFunction } from './app-function.js';
import { SecureQueue, grantSendMail, grantTableReadWrite, type DataResources } from './data-access.js';

/**
 * The SES configuration set every mail we send goes through (SendEmail's ConfigurationSetName, from
 * SES_CONFIGURATION_SET). Bounces and complaints are published to the account's default event bus, the only bus
 * SES's EventBridge destination writes to, as `aws.ses` events ("Email Bounced", "Email Complaint Received").
 *
 * MailHandelser consumes them: the mail's handling is flagged and the kansli told. The account's bounce and
 * complaint rates have their alarms in Monitoring.
 */
export class MailSending extends Construct {
  readonly configurationSet: ses.ConfigurationSet;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      // Transactional mail to a few senders: a hard bounce or complaint should still be visible, not suppressed.
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.eventBus(
        events.EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      ),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
  }

  /** SES checks both the identity and the configuration set a SendEmail names. */
  grantSend(fn: AppFunction, domain: string): void {
    grantSendMail(fn, domain, this.configurationSet.configurationSetName);
  }

  /** The function's environment entry naming the configuration set. */
  get environment(): Record<string, string> {
    return { SES_CONFIGURATION_SET: this.configurationSet.configurationSetName };
  }
}

export interface MailHandelserProps {
  readonly config: StageConfig;
  readonly data: DataResources;
  readonly mail: MailSending;
  /** Events EventBridge could not deliver to the function (after its retries). */
  readonly deliveryDlq: sqs.IQueue;
  readonly logRetention: logs.RetentionDays;
}

/**
 * mail-handelse: SES's bounce and complaint events for the configuration set, from the default bus (the only bus
 * SES publishes to), noted on the handling the mail concerned; the kansli gets one notice per mail and event type.
 */
export class MailHandelser extends Construct {
  readonly handler: AppFunction;
  readonly rule: events.Rule;
  /** Invocations that failed after Lambda's own retries. */
  readonly dlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: MailHandelserProps) {
    super(scope, id);
    const { config, data } = props;
    this.dlq = new SecureQueue(this, 'MailHandelseDlq', {
      purpose: 'mail-handelse (async invocations)',
    }).queue;
    this.handler = new AppFunction(this, 'MailHandelseFunction', {
      entry: 'functions/mail-handelse/handler.ts',
      description: 'Notes an SES bounce or complaint on the handling its mail concerned and tells the kansli',
      memorySize: 256,
      timeout: Duration.seconds(30),
      logRetention: props.logRetention,
      onFailure: new destinations.SqsDestination(this.dlq),
      retryAttempts: 2,
      environment: {
        TABLE_NAME: data.table.tableName,
        DIARIUM_SERIE: config.diariumSerie,
        MAIL_FROM: config.mailFrom,
        MAIL_REPLY_TO: config.replyTo,
        ...props.mail.environment,
        KANSLI_EMAIL: config.kansliEmail,
      },
    });
    // Reads the mail's lookup and handling; writes the flag, the log entry and the handled steps.
    grantTableReadWrite(this.handler, data);
    props.mail.grantSend(this.handler, config.domain);
    Validations.of(this.handler.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Asynchronous failures go to an on-failure destination (MailHandelseDlq), which supersedes a DLQ.',
    });

    this.rule = new events.Rule(this, 'SesMailEventRule', {
      eventBus: events.EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      description: 'SES bounces and complaints of the configuration set: note them on the handling',
      eventPattern: sesMailEventPattern(props.mail.configurationSet.configurationSetName),
    });
    this.rule.addTarget(
      new targets.LambdaFunction(this.handler.function, {
        deadLetterQueue: props.deliveryDlq,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      }),
    );
  }
}
