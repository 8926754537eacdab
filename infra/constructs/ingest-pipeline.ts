import { Duration, Validations } from 'aws-cdk-lib';
import type { MailSending } from './mail-sending.js';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';
import { ARKIV_PREFIX, INKORG_PREFIX, INKORG_PREFIXES } from '../../events/storage-layout.js';
import { objectCreatedPattern } from '../../events/s3-object-created.js';
import { DEFAULT_LIMITS } from '../../functions/extraction/limits.js';
import { declareWorstCaseSeconds } from '../nag-rules.js';
import { AppFunction } from './app-function.js';
import {
  SecureQueue,
  grantObjectRead,
  grantInboxDrain,
  grantObjectWrite,
  grantRetain,
  grantTableReadWrite,
} from './data-access.js';
import type { DataResources } from './data-access.js';
import { OCR_MODULES } from './bundle-settings.js';

/**
 * `gc` for the OCR path: the decoded scans of the first pass are freed before the OCR workers start
 * (functions/extraction/pdf.ts), which keeps a 600 dpi scan within the peak-memory budget in
 * docs/performance.md.
 */
export const INGEST_NODE_OPTIONS = ['--expose-gc'];

export const INGEST_TIMEOUT = Duration.minutes(10);

/**
 * SQS messages per ingest invocation. One: a mail's extraction budget is then the invocation's, and a slow mail
 * delays (and on a timeout, retries) no other.
 */
export const INGEST_BATCH_SIZE = 1;

/**
 * Allowance beside the extraction budget: reading the raw mail (up to 40 MB) and parsing its MIME, storing up to
 * 20 attachments, the DynamoDB registration, the kvittens and the event, and the OCR workers' shutdown.
 */
export const INGEST_OVERHEAD_SECONDS = 120;

/**
 * Longest legitimate ingest invocation: each message a mail using its whole extraction budget (one per mail,
 * shared by its attachments: functions/extraction/limits.ts), plus the overhead. An upload's single document
 * has the smaller per-document budget. Checked against the timeout by cdk-nag (Rapportflode-Lambda2).
 */
export const INGEST_WORST_CASE_SECONDS =
  INGEST_BATCH_SIZE * (DEFAULT_LIMITS.mailTimeBudgetMs / 1000 + INGEST_OVERHEAD_SECONDS);

export interface IngestPipelineProps {
  readonly config: StageConfig;
  readonly data: DataResources;
  readonly appBus: events.EventBus;
  /** Where EventBridge puts events it could not deliver to a target. */
  readonly deliveryDlq: sqs.IQueue;
  readonly publicBaseUrl: string;
  readonly logRetention: logs.RetentionDays;
  /** The SES configuration set every send names (bounces and complaints). */
  readonly mail: MailSending;
}

/**
 * The durable path from "an object appeared" to "a handling is registered":
 * S3 Object Created → EventBridge (default bus) → SQS (with DLQ) → ingest Lambda (partial batch responses).
 */
export class IngestPipeline extends Construct {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
  readonly ingest: AppFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: IngestPipelineProps) {
    super(scope, id);
    const { config, data } = props;

    this.dlq = new SecureQueue(this, 'IngestDlq', { purpose: 'the ingest queue' }).queue;
    this.queue = new SecureQueue(this, 'IngestQueue', {
      purpose: 'ingest',
      // AWS: at least six times the function timeout, so a retried batch is not delivered twice meanwhile.
      visibilityTimeout: Duration.seconds(INGEST_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: 5 },
    }).queue;

    this.rule = new events.Rule(this, 'ObjectCreatedRule', {
      description: `Inbound mail (${INKORG_PREFIX.epost}) and kansli uploads (${INKORG_PREFIX.uppladdning}) to the ingest queue`,
      // Only the inboxes: ingest itself writes handlingar/ and karantan/, which must not loop back.
      eventPattern: objectCreatedPattern(
        data.bucket.bucketName,
        events.Match.anyOf(...INKORG_PREFIXES.map((prefix) => events.Match.prefix(prefix))),
      ),
    });
    this.rule.addTarget(
      new targets.SqsQueue(this.queue, {
        deadLetterQueue: props.deliveryDlq,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    );

    this.ingest = new AppFunction(this, 'IngestFunction', {
      entry: 'functions/ingest/handler.ts',
      description: 'Registers inbound mail and uploads as handlingar (MIME, text extraction, OCR)',
      // OCR of scanned reports is CPU-bound: more memory buys more cores.
      memorySize: 3008,
      timeout: INGEST_TIMEOUT,
      logRetention: props.logRetention,
      nodeModules: OCR_MODULES,
      nodeOptions: INGEST_NODE_OPTIONS,
      environment: {
        TABLE_NAME: data.table.tableName,
        INBOUND_BUCKET: data.bucket.bucketName,
        EVENT_BUS_NAME: props.appBus.eventBusName,
        MAIL_FROM: config.mailFrom,
        MAIL_REPLY_TO: config.replyTo,
        ...props.mail.environment,
        KANSLI_EMAIL: config.kansliEmail,
        DIARIUM_SERIE: config.diariumSerie,
        PUBLIC_BASE_URL: props.publicBaseUrl,
      },
    });
    this.ingest.function.addEventSource(
      new sources.SqsEventSource(this.queue, {
        batchSize: INGEST_BATCH_SIZE,
        reportBatchItemFailures: true,
        // Bounded so a burst of scanned PDFs cannot exhaust the account's concurrency.
        maxConcurrency: 5,
      }),
    );
    this.ingest.acknowledgeSynchronous('the SQS event source mapping');
    declareWorstCaseSeconds(this.ingest.function, INGEST_WORST_CASE_SECONDS);
    Validations.of(this.ingest.function).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'SQS event source mappings do not support on-failure destinations; the queue redrives to IngestDlq after 5 receives.',
    });

    grantTableReadWrite(this.ingest, data);
    grantObjectRead(
      this.ingest,
      data,
      [...INKORG_PREFIXES],
      'ingest reads the received mail and the uploads it registers.',
    );
    grantObjectRead(
      this.ingest,
      data,
      [ARKIV_PREFIX.handling],
      'ingest reads the scan of a paper report registered by hand when the kansli asks for it to be read.',
    );
    grantRetain(
      this.ingest,
      data,
      [...INKORG_PREFIXES],
      'ingest puts received mail and uploads under Object Lock retention before reading them.',
    );
    grantObjectWrite(
      this.ingest,
      data,
      [ARKIV_PREFIX.handling, ARKIV_PREFIX.karantan],
      'ingest files the arrived mail and its attachments per handling and quarantines virus-flagged mail.',
    );
    grantInboxDrain(
      this.ingest,
      data,
      [...INKORG_PREFIXES],
      'ingest takes a processed arrival out of its inbox (a delete marker) so reconciliation lists only the backlog.',
    );
    props.appBus.grantPutEventsTo(this.ingest.function);
    props.mail.grantSend(this.ingest, config.domain);
  }
}
