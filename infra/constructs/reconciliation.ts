import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INKORG_PREFIXES } from '../../events/storage-layout.js';
import { AppFunction } from './app-function.js';
import {
  SecureQueue,
  grantListPrefixes,
  grantObjectRead,
  grantRetain,
  grantTableRead,
} from './data-access.js';
import type { DataResources } from './data-access.js';

export interface ReconciliationProps {
  readonly data: DataResources;
  readonly ingestQueue: sqs.IQueue;
  readonly deliveryDlq: sqs.IQueue;
  readonly logRetention: logs.RetentionDays;
}

/**
 * Hourly safety net behind the event path: raw mail without a registration is put back on the ingest queue
 * (and counted as `ReconciliationFindings`, which is alarmed on).
 */
export class Reconciliation extends Construct {
  readonly reconcile: AppFunction;
  readonly dlq: sqs.Queue;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: ReconciliationProps) {
    super(scope, id);
    const { data } = props;

    this.dlq = new SecureQueue(this, 'ReconcileDlq', { purpose: 'reconcile (async invocations)' }).queue;
    this.reconcile = new AppFunction(this, 'ReconcileFunction', {
      entry: 'functions/reconcile/handler.ts',
      description: 'Finds raw mail without a registration and re-drives it to the ingest queue',
      memorySize: 512,
      timeout: Duration.minutes(5),
      logRetention: props.logRetention,
      onFailure: new destinations.SqsDestination(this.dlq),
      retryAttempts: 2,
      // No reserved concurrency (it fails to deploy in a new account, Rapportflode-Lambda1): overlapping runs are
      // harmless, a twice re-driven object is registered once (idempotency key) and retain only ever extends.
      environment: {
        TABLE_NAME: data.table.tableName,
        INBOUND_BUCKET: data.bucket.bucketName,
        INGEST_QUEUE_URL: props.ingestQueue.queueUrl,
      },
    });
    grantTableRead(this.reconcile, data);
    // Every inbox the reconciliation lists (domain/ingest/reconcile.ts): mail and uploads alike.
    grantListPrefixes(this.reconcile, data, [...INKORG_PREFIXES]);
    grantObjectRead(
      this.reconcile,
      data,
      [...INKORG_PREFIXES],
      'reconcile reads unregistered mail and uploads to compute their idempotency key.',
    );
    grantRetain(
      this.reconcile,
      data,
      [...INKORG_PREFIXES],
      'reconcile puts what it re-drives under Object Lock retention.',
    );
    this.reconcile.allow(['sqs:SendMessage'], [props.ingestQueue.queueArn]);
    Validations.of(this.reconcile.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Asynchronous failures go to an on-failure destination (ReconcileDlq), which supersedes a DLQ.',
    });

    this.schedule = new events.Rule(this, 'HourlySchedule', {
      description: 'Hourly reconciliation of raw mail against the diarium',
      schedule: events.Schedule.rate(Duration.hours(1)),
    });
    this.schedule.addTarget(
      new targets.LambdaFunction(this.reconcile.function, {
        deadLetterQueue: props.deliveryDlq,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    );
  }
}
