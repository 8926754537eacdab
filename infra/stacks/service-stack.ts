import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';
import { BeslutApi } from '../constructs/beslut-api.js';
import { Bevakning } from '../constructs/bevakning.js';
import { KansliApp } from '../constructs/kansli-app.js';
import { SecureQueue } from '../constructs/data-access.js';
import type { DataResources } from '../constructs/data-access.js';
import { GranskningWorkflow } from '../constructs/granskning-workflow.js';
import { IngestPipeline } from '../constructs/ingest-pipeline.js';
import { MailHandelser, MailSending } from '../constructs/mail-sending.js';
import { Monitoring } from '../constructs/monitoring.js';
import { Reconciliation } from '../constructs/reconciliation.js';

export interface ServiceStackProps extends StackProps {
  readonly config: StageConfig;
  readonly data: DataResources;
}

/** The stateless part: functions, queues, buses, the granskning state machine, the HTTP API and alarms. */
export class ServiceStack extends Stack {
  readonly appBus: events.EventBus;
  readonly ingest: IngestPipeline;
  readonly granskning: GranskningWorkflow;
  readonly mailHandelser: MailHandelser;
  readonly api: BeslutApi;
  readonly kansli: KansliApp;
  readonly reconciliation: Reconciliation;
  readonly bevakning: Bevakning;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const logRetention = retentionDays(config.logRetentionDays);

    this.appBus = new events.EventBus(this, 'AppBus', { description: 'Rapportflöde domain events' });
    // Events EventBridge could not deliver to any target in this stack (after its retries).
    const deliveryDlq = new SecureQueue(this, 'EventDeliveryDlq', {
      purpose: 'the EventBridge rule targets',
    }).queue;

    this.api = new BeslutApi(this, 'Beslut', { config, data, logRetention });
    const publicBaseUrl = config.publicBaseUrl ?? this.api.url;
    this.kansli = new KansliApp(this, 'Kansli', {
      config,
      data,
      api: this.api.api,
      appBus: this.appBus,
      publicBaseUrl,
      logRetention,
    });
    const mail = new MailSending(this, 'Mail');

    this.ingest = new IngestPipeline(this, 'Ingest', {
      config,
      data,
      appBus: this.appBus,
      deliveryDlq,
      publicBaseUrl,
      logRetention,
      mail,
    });
    this.kansli.allowLasIn(this.ingest.queue);
    this.granskning = new GranskningWorkflow(this, 'Granskning', {
      config,
      data,
      appBus: this.appBus,
      deliveryDlq,
      publicBaseUrl,
      logRetention,
      mail,
    });
    this.api.allowTaskResponses(this.granskning.stateMachine);
    this.mailHandelser = new MailHandelser(this, 'MailHandelser', {
      config,
      data,
      mail,
      deliveryDlq,
      logRetention,
    });
    this.reconciliation = new Reconciliation(this, 'Reconciliation', {
      data,
      ingestQueue: this.ingest.queue,
      deliveryDlq,
      logRetention,
    });
    this.bevakning = new Bevakning(this, 'Bevakning', { config, data, mail, logRetention });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      ...(config.alarmEmail === undefined ? {} : { alarmEmail: config.alarmEmail }),
    });
    const dlqs = {
      IngestDlq: this.ingest.dlq,
      EventDeliveryDlq: deliveryDlq,
      StartGranskningDlq: this.granskning.starterDlq,
      MailHandelseDlq: this.mailHandelser.dlq,
      ReconcileDlq: this.reconciliation.dlq,
      BevakningDlq: this.bevakning.dlq,
    };
    for (const [name, queue] of Object.entries(dlqs)) this.monitoring.dlqDepth(name, queue);
    const functions = {
      Ingest: this.ingest.ingest,
      StartGranskning: this.granskning.starter,
      MailHandelse: this.mailHandelser.handler,
      GranskningTask: this.granskning.task,
      GranskningFinalize: this.granskning.finalize,
      Beslut: this.api.beslut,
      Postlista: this.api.postlista,
      Reconcile: this.reconciliation.reconcile,
      Bevakning: this.bevakning.bevakning,
      Kansli: this.kansli.kansli,
    };
    for (const [name, fn] of Object.entries(functions)) {
      this.monitoring.lambdaErrors(name, fn.function);
      this.monitoring.lambdaThrottles(name, fn.function);
    }
    this.monitoring.stateMachine(this.granskning.stateMachine);
    this.monitoring.customMetrics();
    this.monitoring.queueAge('IngestQueue', this.ingest.queue);
    this.monitoring.sesReputation();
    this.monitoring.keyTampering(data.key);
    this.monitoring.functionsWidgets(
      Object.fromEntries(Object.entries(functions).map(([name, fn]) => [name, fn.function])),
    );
    this.monitoring.dlqWidget(dlqs);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'KansliUserPoolId', { value: this.kansli.userPool.userPoolId });
    new CfnOutput(this, 'StateMachineArn', { value: this.granskning.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
  }
}

const RETENTION: ReadonlyMap<number, logs.RetentionDays> = new Map([
  [30, logs.RetentionDays.ONE_MONTH],
  [60, logs.RetentionDays.TWO_MONTHS],
  [90, logs.RetentionDays.THREE_MONTHS],
  [180, logs.RetentionDays.SIX_MONTHS],
  [365, logs.RetentionDays.ONE_YEAR],
  [400, logs.RetentionDays.THIRTEEN_MONTHS],
  [545, logs.RetentionDays.EIGHTEEN_MONTHS],
  [731, logs.RetentionDays.TWO_YEARS],
  [1827, logs.RetentionDays.FIVE_YEARS],
  [3653, logs.RetentionDays.TEN_YEARS],
]);

/** The RetentionDays member for a validated number of days (the config schema allows only these). */
function retentionDays(days: number): logs.RetentionDays {
  const match = RETENTION.get(days);
  if (match === undefined) throw new Error(`CloudWatch Logs has no retention of ${days} days`);
  return match;
}
