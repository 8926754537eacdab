import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createTable,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startDynamoDbLocal,
  synthesizeTableDefinition,
  type DynamoDbLocal,
  type TableDefinition,
} from '../../local/aws/dynamodb-local.js';
import { DynamoDiariumRepository } from '../../functions/adapters/dynamo-diarium/repository.js';
import {
  processIncoming,
  type IncomingObject,
  type IngestDeps,
  type IngestOutcome,
} from '../../domain/ingest/process-incoming.js';
import { ObjectNotFoundError } from '../../domain/diarium/errors.js';
import { DEFAULT_SERIE } from '../../domain/defaults.js';
import { INKORG_PREFIX, arkivKey, rawMailKey } from '../../events/storage-layout.js';
import type {
  DocumentStore,
  EventPublisher,
  HandlingDiariefordEvent,
  MailSender,
  OutgoingMail,
} from '../../domain/diarium/ports.js';
import {
  emptyHeaderFacts,
  type ExtractedMail,
  type OpenedMail,
  type ReceiptVerdicts,
} from '../../domain/extraction/types.js';
import { syntheticReportText, type SyntheticReportOptions } from '../support/synthetic-report.js';

export interface DiariumDb {
  local: DynamoDbLocal;
  def: TableDefinition;
  /** A fresh table with the production key schema (one per test keeps counters independent). */
  newTable(): Promise<string>;
  doc(client?: DynamoDBClient): DynamoDBDocumentClient;
  repo(
    table: string,
    opts?: { clock?: () => Date; client?: DynamoDBDocumentClient },
  ): DynamoDiariumRepository;
  stop(): Promise<void>;
}

let tableSeq = 0;

/** One DynamoDB Local per test file, in memory, with the table schema read from the synthesized stateful stack. */
export async function startDiariumDb(): Promise<DiariumDb> {
  const def = synthesizeTableDefinition();
  const local = await startDynamoDbLocal();
  const shared = DynamoDBDocumentClient.from(local.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    local,
    def,
    async newTable() {
      const name = `diarium-${process.pid}-${++tableSeq}`;
      await createTable(local.client, name, def);
      return name;
    },
    doc(client) {
      return client
        ? DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } })
        : shared;
    },
    repo(table, opts = {}) {
      return new DynamoDiariumRepository(opts.client ?? shared, {
        tableName: table,
        ...(opts.clock ? { clock: opts.clock } : {}),
      });
    },
    stop: () => local.stop(),
  };
}

export type CrashPoint = { at: number; when: 'fore' | 'efter' };

export class InjectedCrash extends Error {
  override name = 'InjectedCrash';
}

/**
 * A real DynamoDB client that "crashes" at the n-th command: before sending it (nothing written) or after
 * DynamoDB applied it (written, but the caller never hears). Records the command names it saw.
 */
export function crashingClient(
  local: DynamoDbLocal,
  crash: CrashPoint | null,
): { doc: DynamoDBDocumentClient; seen: string[] } {
  const client = new DynamoDBClient({
    endpoint: local.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const seen: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      seen.push(context.commandName ?? '?');
      const n = seen.length;
      if (crash && n === crash.at && crash.when === 'fore')
        throw new InjectedCrash(`krasch före kommando ${n} (${context.commandName})`);
      const out = await next(args);
      if (crash && n === crash.at && crash.when === 'efter')
        throw new InjectedCrash(`krasch efter kommando ${n} (${context.commandName})`);
      return out;
    },
    { step: 'initialize', name: 'injiceradKrasch' },
  );
  return {
    doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    seen,
  };
}

export interface TestMailSpec {
  messageId: string;
  from: string;
  fromName?: string;
  subject: string;
  body?: string;
  /** SES receipt time (ISO). */
  receivedAt: string;
  report?: SyntheticReportOptions | { text: string } | null;
  verdicts?: ReceiptVerdicts;
  /** Attached files (name and text content), filed with the handling as a mail's attachments are. */
  bilagor?: { filnamn: string; text: string }[];
}

/** The ingest dependencies around a real repository: in-memory S3, recorded mail and events, a scripted extractor. */
export function fakeIngest(repo: IngestDeps['repo'], opts: { clock?: () => Date } = {}) {
  const objects = new Map<string, Uint8Array>();
  const removed = new Set<string>();
  const mails = new Map<string, TestMailSpec>();
  const sent: OutgoingMail[] = [];
  const published: HandlingDiariefordEvent[] = [];
  const begard: { diarienummer: string; arende: string; av: string }[] = [];
  const store: DocumentStore = {
    get: (key) => {
      const bytes = objects.get(key);
      if (!bytes) return Promise.reject(new ObjectNotFoundError(`NoSuchKey ${key}`));
      return Promise.resolve({ bytes, key, versionId: null });
    },
    presignedGetUrl: (key) => Promise.resolve(`http://localhost/${key}`),
    file: (arkiv, d) => {
      const key = arkivKey(arkiv, d.sha256, d.filnamn);
      objects.set(key, d.bytes);
      return Promise.resolve(key);
    },
    retain: () => Promise.resolve(),
    // As on S3 with the event's version id: taken out of the inbox listing, still readable by its version.
    removeIncoming: (key) => {
      removed.add(key);
      return Promise.resolve();
    },
    listIncoming: (inkorg) =>
      Promise.resolve(
        [...objects.keys()]
          .filter((k) => k.startsWith(INKORG_PREFIX[inkorg]) && !removed.has(k))
          .map((key) => ({ key, lastModified: '2026-01-01T00:00:00.000Z' })),
      ),
  };
  const mailer: MailSender = {
    send: (m) => {
      sent.push(m);
      return Promise.resolve({ messageId: `ses-${sent.length}` });
    },
  };
  const events: EventPublisher = {
    handlingDiarieford: (e) => {
      published.push(e);
      return Promise.resolve();
    },
    granskningBegard: (e) => {
      begard.push(e);
      return Promise.resolve();
    },
  };
  const reports = new WeakMap<OpenedMail, ExtractedMail['report']>();
  const scripted = (raw: Uint8Array): ExtractedMail | null => {
    const spec = mails.get(Buffer.from(raw).toString('utf8'));
    if (!spec) return null;
    const text =
      spec.report === null || spec.report === undefined
        ? null
        : 'text' in spec.report
          ? spec.report.text
          : syntheticReportText(spec.report);
    return {
      messageId: spec.messageId,
      subject: spec.subject,
      from: { address: spec.from, ...(spec.fromName ? { name: spec.fromName } : {}) },
      envelopeFrom: spec.from,
      to: [{ address: 'slutrapport@finsamgavleborg.example' }],
      date: spec.receivedAt,
      receivedAt: spec.receivedAt,
      verdicts: spec.verdicts ?? { spam: 'PASS', virus: 'PASS', dmarc: 'pass' },
      forwardedBy: null,
      headers: { ...emptyHeaderFacts(), outerFrom: spec.from },
      bodyText: spec.body ?? '',
      attachments: (spec.bilagor ?? []).map((b) => {
        const content = Buffer.from(b.text, 'utf8');
        return {
          filename: b.filnamn,
          detectedType: 'okand',
          contentType: 'text/plain',
          size: content.byteLength,
          sha256: createHash('sha256').update(content).digest('hex'),
          content,
          inline: false,
        };
      }),
      report: text ? { source: 'brodtext', format: 'text', text } : null,
      problems: [],
    };
  };
  const deps: IngestDeps = {
    repo,
    store,
    mailer,
    events,
    extractor: {
      openMail: (raw) => {
        const m = scripted(raw);
        if (!m) return Promise.reject(new Error('okänt testmejl'));
        const { report, ...rest } = m;
        const opened: OpenedMail = { ...rest, lasbaraBilagor: [], brodtexter: [], stoppad: false };
        reports.set(opened, report);
        return Promise.resolve(opened);
      },
      readMail: (opened) => Promise.resolve({ report: reports.get(opened) ?? null, problems: [] }),
      extractMail: (raw) => {
        const m = scripted(raw);
        return m ? Promise.resolve(m) : Promise.reject(new Error('okänt testmejl'));
      },
      extractDocument: () => Promise.reject(new Error('används inte')),
    },
    config: { serie: DEFAULT_SERIE, kansliEmail: 'kansli@finsamgavleborg.example' },
    // Far from every receipt time: the ankomstdatum must never come from the Lambda's clock.
    clock: opts.clock ?? (() => new Date('2030-06-15T12:00:00Z')),
    log: () => undefined,
  };
  /** Stores the raw "mail" in the inbound bucket and returns the S3 object for processIncoming. */
  const deliver = (spec: TestMailSpec) => {
    const raw = `Message-ID: <${spec.messageId}>\r\nSubject: ${spec.subject}\r\nX-Test: ${createHash('sha256').update(JSON.stringify(spec)).digest('hex')}\r\n`;
    mails.set(raw, spec);
    const key = rawMailKey(createHash('sha1').update(raw).digest('hex'));
    objects.set(key, Buffer.from(raw, 'utf8'));
    const incoming: IncomingObject = {
      kalla: 'epost',
      bucket: 'rapportflode-inbound',
      key,
      versionId: null,
      eventTime: spec.receivedAt,
    };
    return incoming;
  };
  return { deps, deliver, sent, published, begard, objects, removed };
}

/** Runs the ingest on an object the test knows is there to process (never a late duplicate). */
export async function ingestNow(deps: IngestDeps, obj: IncomingObject): Promise<IngestOutcome> {
  const outcome = await processIncoming(deps, obj);
  if (!outcome) throw new Error(`${obj.key} var redan borttaget ur inkorgen`);
  return outcome;
}
