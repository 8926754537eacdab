import { OBJECT_CREATED, S3_EVENT_SOURCE } from '../../events/s3-object-created.js';
import { SES_EVENT_SOURCE } from '../../events/ses-mail-event.js';
import type { Log } from '../../domain/log.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { matches, startAwsApiServer, type EventRule } from './aws-api-server.js';
import { onOcrProgress } from '../../functions/extraction/ocr.js';
import type { LocalFunctions } from './functions.js';
import type { IngestProgress } from './options.js';
import type { Defer } from './lifecycle.js';
import type { Reservation } from './ports.js';
import type { LocalS3, S3Record } from './s3.js';
import type { LocalStepFunctions } from './step-functions.js';
import type { Template } from './synth.js';

// The handlers take a Lambda context they do not read.
const ctx = {} as never;
const patternSchema = z.record(z.string(), z.unknown());
const isS3Rule = (r: Template['Resources'][string]) =>
  r.Type === 'AWS::Events::Rule' &&
  JSON.stringify(r.Properties?.['EventPattern'] ?? {}).includes(S3_EVENT_SOURCE);

const isSesRule = (r: Template['Resources'][string]) =>
  r.Type === 'AWS::Events::Rule' &&
  JSON.stringify(r.Properties?.['EventPattern'] ?? {}).includes(SES_EVENT_SOURCE);

/**
 * The SES bounce and complaint rules (default bus), targeting mail-handelse. The pattern's configuration-set
 * filter names the set by a CloudFormation reference and local mail has no set: only source and detail-type
 * are kept, so an SES event put on the local bus reaches the function.
 */
export function sesRules(
  serviceTemplate: Template,
  mailHandelse: LocalFunctions['mailHandelse'],
): EventRule[] {
  const rules: EventRule[] = [];
  for (const [id, r] of Object.entries(serviceTemplate.Resources)) {
    if (!isSesRule(r)) continue;
    const pattern = z
      .object({ source: z.array(z.unknown()), 'detail-type': z.array(z.unknown()) })
      .safeParse(r.Properties?.['EventPattern']);
    if (!pattern.success) continue;
    rules.push({
      name: id,
      pattern: { source: pattern.data.source, 'detail-type': pattern.data['detail-type'] },
      target: async (event) => {
        await mailHandelse(event, ctx);
      },
    });
  }
  return rules;
}

/** The rules on the app bus, as the service stack declares them; each targets start-granskning. */
export function appBusRules(
  serviceTemplate: Template,
  startGranskning: LocalFunctions['startGranskning'],
): EventRule[] {
  const rules: EventRule[] = [];
  for (const [id, r] of Object.entries(serviceTemplate.Resources)) {
    if (r.Type !== 'AWS::Events::Rule' || isS3Rule(r) || isSesRule(r)) continue;
    const pattern = patternSchema.safeParse(r.Properties?.['EventPattern']);
    if (!pattern.success) continue;
    rules.push({
      name: id,
      pattern: pattern.data,
      target: async (event) => {
        await startGranskning(event, ctx);
      },
    });
  }
  return rules;
}

/** The S3 rule's pattern. It names the bucket by a CloudFormation reference; locally that is our one bucket. */
export function s3RulePattern(serviceTemplate: Template, bucket: string): Record<string, unknown> {
  const s3Rule = Object.values(serviceTemplate.Resources).find(isS3Rule);
  const pattern = z
    .object({ detail: z.object({ bucket: z.object({ name: z.array(z.unknown()) }) }).loose() })
    .loose()
    .parse(s3Rule?.Properties?.['EventPattern'] ?? {});
  return { ...pattern, detail: { ...pattern.detail, bucket: { name: [bucket] } } };
}

/** An s3rver notification as S3 → EventBridge delivers it ("Object Created"). */
export function objectCreatedEvent(rec: S3Record): Record<string, unknown> {
  return {
    version: '0',
    id: randomBytes(16).toString('hex'),
    'detail-type': OBJECT_CREATED,
    source: S3_EVENT_SOURCE,
    account: '000000000000',
    time: new Date(rec.eventTime).toISOString(),
    region: 'eu-west-1',
    resources: [`arn:aws:s3:::${rec.s3.bucket.name}`],
    detail: {
      version: '0',
      bucket: { name: rec.s3.bucket.name },
      object: {
        key: rec.s3.object.key,
        size: rec.s3.object.size,
        etag: rec.s3.object.eTag,
        sequencer: rec.s3.object.sequencer,
      },
      reason: 'PutObject',
    },
  };
}

/** The object key an ingest message is about (for the dead-letter log); the ingest itself validates the body. */
function objectKeyOf(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return '?';
  }
  const parsed = z.object({ detail: z.object({ object: z.object({ key: z.string() }) }) }).safeParse(json);
  if (parsed.success) return parsed.data.detail.object.key;
  // The kansli's HandlingLasningBegard: shown (progress, DLQ file) by the handling it asks to read.
  const begard = z.object({ diarienummer: z.string() }).safeParse(json);
  return begard.success ? `lasning#${begard.data.diarienummer}` : '?';
}

interface Message {
  messageId: string;
  body: string;
  attempts: number;
  key: string;
}

/**
 * The ingest queue as SQS runs it: at most `concurrency` deliveries at once, a failed message retried with
 * backoff, and after five attempts parked in the dead-letter file.
 */
export class IngestQueue {
  private readonly queue: Message[] = [];
  private active = 0;
  /** The object key the running delivery is about: OCR progress reported deep inside it is told per key. */
  private readonly current = new AsyncLocalStorage<string>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ingest: LocalFunctions['ingest'],
    private readonly opts: {
      concurrency: number;
      dlqFile: string;
      log: Log;
      paused?: boolean;
      progress?: Map<string, IngestProgress>;
    },
  ) {
    this.unsubscribe = onOcrProgress(({ done, total }) => {
      const key = this.current.getStore();
      if (!key) return;
      const text = `OCR sida ${Math.min(done + 1, total)} av ${total}`;
      this.opts.progress?.set(key, { text: done < total ? text : 'OCR klar, registreras' });
      if (done > 0) this.opts.log('info', `OCR ${key}: ${done} av ${total} sidor lästa.`);
    });
  }

  private closed = false;
  private readonly inFlight = new Set<Promise<void>>();

  /**
   * Stops delivering (queued messages are lost with the process, as on a crash) and waits a while for the
   * deliveries under way: in one process (tests), an ingest of a stopped stack must not run on into the next
   * stack started on the same ports.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    const waited = Promise.all(this.inFlight);
    await Promise.race([waited, new Promise((r) => setTimeout(r, 15_000).unref())]);
  }

  send(key: string, body: string): string {
    const messageId = randomBytes(8).toString('hex');
    this.queue.push({ messageId, body, attempts: 0, key });
    this.opts.progress?.set(key, { text: 'i kö för registrering' });
    this.pump();
    return messageId;
  }

  private pump(): void {
    // Paused (tests): messages wait in memory and are lost with the process, as on a crash before the ingest.
    if (this.opts.paused || this.closed) return;
    while (this.active < this.opts.concurrency && this.queue.length > 0) {
      const msg = this.queue.shift()!;
      this.active++;
      const p = this.deliver(msg).finally(() => {
        this.active--;
        this.inFlight.delete(p);
        this.pump();
      });
      this.inFlight.add(p);
    }
  }

  private async deliver(msg: Message): Promise<void> {
    const progress = this.opts.progress;
    try {
      progress?.set(msg.key, {
        text: msg.attempts > 0 ? `läses (försök ${msg.attempts + 1} av 5)` : 'läses',
      });
      const res = await this.current.run(msg.key, () =>
        this.ingest({ Records: [{ messageId: msg.messageId, body: msg.body }] }, ctx),
      );
      if (res.batchItemFailures.length > 0) throw new Error('ingest rapporterade fel');
      progress?.delete(msg.key);
    } catch {
      msg.attempts++;
      if (msg.attempts >= 5) {
        const { dlqFile, log } = this.opts;
        appendFileSync(dlqFile, `${JSON.stringify({ ...msg, tid: new Date().toISOString() })}\n`);
        log('error', `Ingest gav upp efter 5 försök: ${msg.key} (lagd i ${dlqFile})`);
        progress?.set(msg.key, { text: `gav upp efter 5 försök (se ${dlqFile})`, gaveUp: true });
        return;
      }
      progress?.set(msg.key, { text: `misslyckades, nytt försök (${msg.attempts + 1} av 5)` });
      const retry = () => {
        this.queue.push(msg);
        this.pump();
      };
      setTimeout(retry, 200 * 2 ** msg.attempts);
    }
  }
}

/**
 * EventBridge and SQS: the Step Functions/EventBridge API the functions call, the app bus's rules (and SES's
 * bounce and complaint rules, delivered from the same local bus), and
 * S3 → EventBridge → SQS → ingest for every stored object the S3 rule matches.
 */
export async function startEventDelivery(opts: {
  reservation: Reservation;
  serviceTemplate: Template;
  fns: Pick<LocalFunctions, 'ingest' | 'startGranskning' | 'mailHandelse'>;
  sfn: LocalStepFunctions;
  s3: LocalS3;
  dataDir: string;
  ingestConcurrency: number;
  /** The ingest queue's URL as the functions' config names it (the reconcile's SendMessage target). */
  ingestQueueUrl: string;
  ingestPaused?: boolean;
  progress?: Map<string, IngestProgress>;
  log: Log;
  defer: Defer;
}): Promise<string> {
  const { serviceTemplate, fns, sfn, log } = opts;
  const rules = [
    ...appBusRules(serviceTemplate, fns.startGranskning),
    ...sesRules(serviceTemplate, fns.mailHandelse),
  ];
  const { port } = opts.reservation;
  await opts.reservation.release();
  const queue = new IngestQueue(fns.ingest, {
    concurrency: opts.ingestConcurrency,
    dlqFile: path.join(opts.dataDir, 'ingest-dlq.jsonl'),
    log,
    ...(opts.ingestPaused ? { paused: true } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
  });
  opts.defer(() => queue.close());
  // What reaches the queue through the SQS API (the reconcile's re-drive) is the same event as S3's.
  const queues = new Map([[opts.ingestQueueUrl, (body: string) => queue.send(objectKeyOf(body), body)]]);
  const awsApi = await startAwsApiServer({
    port,
    sfn: () => sfn,
    rules: () => rules,
    queues: () => queues,
    log,
  });
  opts.defer(() => new Promise<void>((r) => awsApi.close(() => r())));

  const s3Pattern = s3RulePattern(serviceTemplate, opts.s3.bucket);
  opts.s3.onObjectEvent((records) => {
    for (const rec of records) {
      if (!rec.eventName.startsWith('ObjectCreated')) continue;
      const event = objectCreatedEvent(rec);
      if (matches(s3Pattern, event)) queue.send(rec.s3.object.key, JSON.stringify(event));
    }
  });
  return `http://127.0.0.1:${port}`;
}
