import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DescribeExecutionCommand,
  SFNClient,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/aws/stack.js';
import { makeDocumentClient } from '../../functions/adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../../functions/adapters/dynamo-diarium/repository.js';
import { DynamoGranskningRepository } from '../../functions/adapters/dynamo-granskning-repository.js';
import { granskningIdFor } from '../../domain/granskning/policy.js';
import { outbox, sendMail, waitFor, waitForOutcome, type OutboxMail } from '../support/local-helpers.js';
import { syntheticReportDocx } from '../support/synthetic-report.js';

/** The synthetic beredningsgrupp of the `lokal` stage (infra/config/stages.ts). */
export const GRUPP = {
  maria: 'maria.exempelsson@ovanaker.example',
  per: 'per.testberg@ovanaker.example',
  karin: 'karin.provare@forsakringskassan.example',
  johan: 'johan.demosson@arbetsformedlingen.example',
  lena: 'lena.fiktiv@regiongavleborg.example',
  anders: 'anders.pahittad@regiongavleborg.example',
} as const;
export const KANSLI = 'kansli@finsamgavleborg.se';
export const FORBUNDSCHEF = 'forbundschef@finsamgavleborg.se';
export const LINK = /http:\/\/127\.0\.0\.1:\d+\/beslut\/[A-Za-z0-9_-]{22}/;

export interface Harness {
  stack: LocalStack;
  diarium: DynamoDiariumRepository;
  granskningar: DynamoGranskningRepository;
  /** Everything the stack and its handlers wrote to the log, for "never logged" assertions. */
  logLines: string[];
  stop(): Promise<void>;
}

export async function startHarness(
  opts: Partial<LocalStackOptions> & Pick<LocalStackOptions, 'granskningTimeouts' | 'beslutPolicy'>,
): Promise<Harness> {
  const logLines: string[] = [];
  const stack = await startLocalStack({
    dataDir: opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'rapportflode-granskning-')),
    ports: opts.ports ?? { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
    log: (_level, m) => {
      logLines.push(m);
      console.log(m);
    },
    ...(opts.granskningTimeouts ? { granskningTimeouts: opts.granskningTimeouts } : {}),
    ...(opts.beslutPolicy ? { beslutPolicy: opts.beslutPolicy } : {}),
    ...(opts.franvarande ? { franvarande: opts.franvarande } : {}),
  });
  const db = makeDocumentClient(stack.clientConfig('DYNAMODB'));
  return {
    stack,
    diarium: new DynamoDiariumRepository(db, { tableName: stack.table }),
    granskningar: new DynamoGranskningRepository(db, stack.table),
    logLines,
    async stop() {
      // Until the stack closes its runner itself: no timer of this run may act after the stop.
      stack.sfn.close();
      await stack.stop();
    },
  };
}

let counter = 0;
/** Sends a complete slutrapport of its own insats (own ärende); resolves with its diarienummer. */
export async function submitReport(
  h: Harness,
  o: { from?: string; insatsnamn?: string; organisation?: string; subject?: string } = {},
): Promise<{ diarienummer: string; arende: string; granskningId: string; from: string }> {
  counter++;
  const organisation = o.organisation ?? `Provköping ${counter} kommun`;
  const insatsnamn = o.insatsnamn ?? `Vägen vidare ${counter} – ${organisation}`;
  const from = o.from ?? `rapportor${counter}@provkoping.example`;
  const docx = await syntheticReportDocx({ insatsnamn, organisation });
  const key = await sendMail(h.stack, {
    from,
    subject: o.subject ?? `Slutrapport ${insatsnamn}`,
    attachments: [{ filename: 'Slutrapport.docx', content: docx }],
  });
  const outcome = await waitForOutcome(h.stack, key);
  if (outcome.status !== 'komplett') throw new Error(`Rapporten blev ${outcome.status}`);
  const handling = await h.diarium.getHandling(outcome.diarienummer);
  if (!handling) throw new Error('Handlingen saknas');
  return {
    diarienummer: outcome.diarienummer,
    arende: handling.arende,
    granskningId: granskningIdFor(outcome.diarienummer),
    from,
  };
}

/** Mails about one handling's granskning (reviewer mails and reminders), newest last. */
export async function reviewerMails(h: Harness, diarienummer: string): Promise<OutboxMail[]> {
  return (await outbox(h.stack)).filter((m) =>
    m.subject.includes(`Granskning av slutrapport ${diarienummer} `),
  );
}

/** Waits until `count` reviewer mails exist for the handling; returns recipient → link of the latest mail. */
export async function waitForLinks(
  h: Harness,
  diarienummer: string,
  count: number,
): Promise<Map<string, string>> {
  const mails = await waitFor(async () => {
    const m = await reviewerMails(h, diarienummer);
    return m.length >= count ? m : undefined;
  });
  const links = new Map<string, string>();
  for (const m of mails) {
    const link = LINK.exec(m.body.text ?? '')?.[0];
    if (link) links.set(m.destination.to[0] ?? '', link);
  }
  return links;
}

export async function openForm(link: string): Promise<{ status: number; html: string; csrf: string | null }> {
  const r = await fetch(link);
  const html = await r.text();
  return { status: r.status, html, csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? null };
}

export function post(link: string, form: Record<string, string>): Promise<Response> {
  return fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

/** Opens the page as the reviewer would and presses a button. */
export async function decide(
  link: string,
  utfall: 'godkand' | 'komplettering',
  kommentar = '',
): Promise<Response> {
  const { csrf } = await openForm(link);
  if (!csrf) throw new Error('Formuläret saknar CSRF-värde');
  return post(link, { csrf, utfall, kommentar });
}

export async function describe(h: Harness, diarienummer: string): Promise<DescribeExecutionCommandOutput> {
  const sfn = new SFNClient({
    endpoint: h.stack.urls.aws,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  try {
    return await sfn.send(
      new DescribeExecutionCommand({
        executionArn: `arn:aws:states:eu-west-1:000000000000:execution:Granskning:${granskningIdFor(diarienummer)}`,
      }),
    );
  } finally {
    sfn.destroy();
  }
}

export async function waitForEnd(
  h: Harness,
  diarienummer: string,
  timeoutMs = 60_000,
): Promise<DescribeExecutionCommandOutput> {
  return waitFor(async () => {
    const d = await describe(h, diarienummer);
    return d.status === 'RUNNING' ? undefined : d;
  }, timeoutMs);
}

export async function mailsTo(h: Harness, address: string, subjectIncludes: string): Promise<OutboxMail[]> {
  return (await outbox(h.stack)).filter(
    (m) => m.destination.to.includes(address) && m.subject.includes(subjectIncludes),
  );
}
