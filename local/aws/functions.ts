import type { IngestOutcome } from '../../domain/ingest/process-incoming.js';
import { buildDeps as beslutDeps } from '../../functions/beslut/deps.js';
import { makeHandler as beslutHandler } from '../../functions/beslut/make-handler.js';
import { buildDeps as finalizeDeps } from '../../functions/granskning-finalize/deps.js';
import { makeHandler as finalizeHandler } from '../../functions/granskning-finalize/make-handler.js';
import { buildDeps as taskDeps } from '../../functions/granskning-task/deps.js';
import { makeHandler as taskHandler } from '../../functions/granskning-task/make-handler.js';
import { buildDeps as ingestDeps } from '../../functions/ingest/deps.js';
import { makeHandler as ingestHandler } from '../../functions/ingest/make-handler.js';
import { buildDeps as mailHandelseDeps } from '../../functions/mail-handelse/deps.js';
import { makeHandler as mailHandelseHandler } from '../../functions/mail-handelse/make-handler.js';
import { buildDeps as kansliDeps } from '../../functions/kansli/deps.js';
import { makeHandler as kansliHandler } from '../../functions/kansli/make-handler.js';
import { buildDeps as postlistaDeps } from '../../functions/postlista/deps.js';
import { makeHandler as postlistaHandler } from '../../functions/postlista/make-handler.js';
import { buildDeps as reconcileDeps } from '../../functions/reconcile/deps.js';
import { makeHandler as reconcileHandler } from '../../functions/reconcile/make-handler.js';
import { buildDeps as startDeps } from '../../functions/start-granskning/deps.js';
import { makeHandler as startHandler } from '../../functions/start-granskning/make-handler.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.js';
import { LOCAL_OIDC_CLIENT_ID } from './oidc-provider.js';
import type { IngestStatus, LocalStackOptions } from './options.js';
import type { StageConfig } from './synth.js';

export const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:000000000000:stateMachine:Granskning';

// Kept with the stack's addresses, so the CLIs find the queue without loading the functions.
import { ingestQueueUrl } from './instance.js';
export { ingestQueueUrl };

/**
 * The functions' config record: what the stage config gives the Lambdas on AWS, with the local endpoints and
 * the emulators' key pair in place of the role's credentials (s3rver accepts only its own pair; the others
 * accept any). The record every function starts from; each reads what its schema names, and with IAM on gets
 * its own key pair and the proxies' endpoints (local/aws/iam/wire.ts).
 */
export function functionConfig(
  c: StageConfig,
  opts: Pick<LocalStackOptions, 'beslutPolicy' | 'franvarande'>,
  at: {
    dynamodb: string;
    s3: string;
    ses: string;
    aws: string;
    publicBaseUrl: string;
    table: string;
    bucket: string;
    /** The local OIDC provider (local/aws/oidc-provider.ts), standing in for the Cognito user pool. */
    oidcIssuer: string;
  },
): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: at.dynamodb,
    AWS_ENDPOINT_URL_S3: at.s3,
    AWS_ENDPOINT_URL_SESV2: at.ses,
    AWS_ENDPOINT_URL_SFN: at.aws,
    AWS_ENDPOINT_URL_EVENTBRIDGE: at.aws,
    AWS_ENDPOINT_URL_SQS: at.aws,
    POWERTOOLS_LOG_LEVEL: process.env['POWERTOOLS_LOG_LEVEL'] ?? 'WARN',
    // Metrics go to CloudWatch as EMF log lines on AWS; locally they would only clutter the terminal.
    POWERTOOLS_METRICS_DISABLED: 'true',
    TABLE_NAME: at.table,
    INBOUND_BUCKET: at.bucket,
    EVENT_BUS_NAME: 'rapportflode-lokal',
    MAIL_FROM: c.mailFrom,
    MAIL_REPLY_TO: c.replyTo,
    KANSLI_EMAIL: c.kansliEmail,
    FORBUNDSCHEF_EMAIL: c.forbundschefEmail,
    DIARIUM_SERIE: c.diariumSerie,
    PUBLIC_BASE_URL: at.publicBaseUrl,
    BEREDNINGSGRUPP: JSON.stringify(c.beredningsgrupp),
    BESLUT_POLICY: JSON.stringify(opts.beslutPolicy ?? c.beslutPolicy),
    BEREDNINGSGRUPP_FRANVARANDE: (opts.franvarande ?? c.franvarande).join(','),
    LINK_TTL_SECONDS: String(c.linkTtlSeconds),
    RETENTION_DAYS: String(c.objectLockRetentionDays),
    STATE_MACHINE_ARN,
    INGEST_QUEUE_URL: ingestQueueUrl(at.aws),
    BEVAKNING: JSON.stringify(c.bevakning),
    OIDC_ISSUER: at.oidcIssuer,
    OIDC_CLIENT_ID: LOCAL_OIDC_CLIENT_ID,
    KANSLI_BASE_URL: `${at.publicBaseUrl}/kansli`,
  };
}

/** Each function's name, as its directory under functions/ (and its role's, local/aws/iam). */
export type FunctionId =
  | 'ingest'
  | 'start-granskning'
  | 'granskning-task'
  | 'granskning-finalize'
  | 'beslut'
  | 'postlista'
  | 'reconcile'
  | 'mail-handelse'
  | 'bevakning'
  | 'kansli';

/**
 * Each function as on Lambda: makeHandler over the dependencies its deps builder makes from its own config
 * record (with IAM on, its own key pair and the proxies' endpoints). The ingest's outcome per stored object key
 * is kept for the status endpoint and the tests.
 */
export function buildFunctions(configFor: (fnId: FunctionId) => Record<string, string>) {
  const outcomes = new Map<string, IngestStatus>();
  const onIngestOutcome = (o: IngestOutcome, key: string) => {
    outcomes.set(key, {
      diarienummer: o.handling.diarienummer,
      status: o.handling.bedomning,
      kvittens: o.kvittens,
    });
  };
  const fns = {
    ingest: ingestHandler(ingestDeps(configFor('ingest')), onIngestOutcome),
    startGranskning: startHandler(startDeps(configFor('start-granskning'))),
    granskningTask: taskHandler(taskDeps(configFor('granskning-task'))),
    finalize: finalizeHandler(finalizeDeps(configFor('granskning-finalize'))),
    beslut: beslutHandler(beslutDeps(configFor('beslut'))),
    postlista: postlistaHandler(postlistaDeps(configFor('postlista'))),
    reconcile: reconcileHandler(reconcileDeps(configFor('reconcile'))),
    mailHandelse: mailHandelseHandler(mailHandelseDeps(configFor('mail-handelse'))),
    kansli: kansliHandler(kansliDeps(configFor('kansli'))),
  };
  return { fns, outcomes };
}

export type LocalFunctions = ReturnType<typeof buildFunctions>['fns'];
