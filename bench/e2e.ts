/**
 * End-to-end figures against the local stack: latency SMTP accepted → kvittens / reviewer mail in the SES
 * outbox (sequential submissions), and a burst of concurrent submissions (throughput, unique gap-free numbers).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { startLocalStack, type LocalStack } from '../local/aws/stack.js';
import { composeMail, sendRaw } from '../test/support/local-helpers.js';
import { makeDocumentClient } from '../functions/adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../functions/adapters/dynamo-diarium/repository.js';
import { parseHandlingNummer } from '../domain/diarium/diarienummer.js';
import { syntheticReport } from './lib/fixtures.js';
import { figure, summarize, type Figure } from './lib/stats.js';
import { ownCpuMs, processCpuMs } from './lib/cpu.js';

const outboxSchema = z.object({
  emails: z.array(
    z.object({
      subject: z.string(),
      destination: z.object({ to: z.array(z.string()) }),
      body: z.object({ text: z.string().optional() }).loose(),
    }),
  ),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(
  ingestConcurrency?: number,
  granskningConcurrency?: number,
): Promise<{ stack: LocalStack; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rapportflode-bench-'));
  const stack = await startLocalStack({
    dataDir: dir,
    fresh: true,
    ports: { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
    log: () => undefined,
    ...(ingestConcurrency !== undefined ? { ingestConcurrency } : {}),
    ...(granskningConcurrency !== undefined ? { granskningConcurrency } : {}),
  });
  return { stack, dir };
}

async function stop(s: { stack: LocalStack; dir: string }): Promise<void> {
  await s.stack.stop();
  // stop() leaves the local Step Functions' timers running and they still write their journal
  // (local/aws/stack.ts), so the directory goes only when the process exits.
  process.once('exit', () => rmSync(s.dir, { recursive: true, force: true }));
}

async function report(
  format: 'pdf' | 'docx',
  i: number,
  tag: string,
): Promise<{ raw: Buffer; from: string }> {
  const from = `rapportor.${tag}${i}@exempelby.example`;
  const content = await syntheticReport(format, {
    insatsnamn: `Bänkinsats ${tag} ${i} Åmot`,
    organisation: 'Exempelby kommun',
  });
  const raw = await composeMail({
    from,
    subject: `Slutrapport Bänkinsats ${tag} ${i}`,
    attachments: [{ filename: `Slutrapport ${i}.${format}`, content: Buffer.from(content) }],
  });
  return { raw, from };
}

interface LatencySample {
  kvittens: number;
  reviewer: number;
}

/** One submission at a time; the outbox is cleared between submissions so each poll reads a few mails. */
async function latencySeries(
  stack: LocalStack,
  format: 'pdf' | 'docx',
  n: number,
  warmup: number,
): Promise<LatencySample[]> {
  const store = `${stack.urls.outbox}store`;
  const samples: LatencySample[] = [];
  const mails = [];
  for (let i = 0; i < n + warmup; i++) mails.push(await report(format, i, `lat${format}`));
  for (const [i, m] of mails.entries()) {
    await fetch(`${stack.urls.outbox}clear-store`, { method: 'POST' });
    const key = await sendRaw(stack, m.raw, m.from);
    const t0 = performance.now();
    let kvittens: number | null = null;
    let reviewer: number | null = null;
    while (kvittens === null || reviewer === null) {
      if (performance.now() - t0 > 30_000) throw new Error(`Ingen post inom 30 s för ${key}`);
      const { emails } = outboxSchema.parse(await (await fetch(store)).json());
      const t = performance.now() - t0;
      if (
        kvittens === null &&
        emails.some((e) => e.destination.to.includes(m.from) && e.subject.includes('Kvittens'))
      ) {
        kvittens = t;
      }
      const dnr = stack.outcomes.get(key)?.diarienummer;
      if (
        reviewer === null &&
        dnr &&
        emails.some(
          (e) => e.subject.startsWith('Granskning av slutrapport') && (e.body.text ?? '').includes(dnr),
        )
      ) {
        reviewer = t;
      }
      if (kvittens === null || reviewer === null) await sleep(5);
    }
    const outcome = stack.outcomes.get(key);
    if (outcome?.status !== 'komplett')
      throw new Error(`Rapporten bedömdes ${outcome?.status ?? 'inte'}: ${key}`);
    if (i >= warmup) samples.push({ kvittens, reviewer });
  }
  return samples;
}

/** Starts a stack, hands it to `fn`, stops and removes it. */
export async function withStack<T>(
  fn: (stack: LocalStack) => Promise<T>,
  ingestConcurrency?: number,
): Promise<T> {
  const s = await start(ingestConcurrency);
  try {
    return await fn(s.stack);
  } finally {
    await stop(s);
  }
}

export async function benchLatency(stack: LocalStack, n: number): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const format of ['pdf', 'docx'] as const) {
    const samples = await latencySeries(stack, format, n, 5);
    for (const [what, pick] of [
      ['kvittens', (x: LatencySample) => x.kvittens],
      ['reviewer mail', (x: LatencySample) => x.reviewer],
    ] as const) {
      const sm = summarize(samples.map(pick));
      const base = { group: 'e2e latency', unit: 'ms', min: sm.min, max: sm.max, runs: sm.runs };
      out.push({
        ...base,
        name: `${format} → ${what} p50`,
        median: sm.median,
        target: { op: '<=', value: 300 },
      });
      out.push({
        ...base,
        name: `${format} → ${what} p95`,
        median: sm.p95,
        target: { op: '<=', value: 1000 },
      });
    }
  }
  return out;
}

export interface BurstResult {
  concurrency: number;
  reports: number;
  seconds: number;
  perSecond: number;
  /** All mails accepted by the SMTP stand-in (stored in the inbound bucket): the arrival side of the burst. */
  smtpPerSecond: number;
  /** CPU per registered report during the burst: this Node process (system and emulators) and DynamoDB Local. */
  cpuMsPerReport: { node: number; dynamodb: number };
  registered: number;
  unique: boolean;
  gapFree: boolean;
  komplett: number;
}

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** `reports` komplett reports (alternating text PDF and docx, each its own insats) over 50 SMTP connections. */
export async function burst(
  reports: number,
  ingestConcurrency: number,
  granskningConcurrency?: number,
): Promise<BurstResult> {
  const mails = [];
  for (let i = 0; i < reports; i++) mails.push(await report(i % 2 === 0 ? 'pdf' : 'docx', i, 'burst'));
  const s = await start(ingestConcurrency, granskningConcurrency);
  try {
    const cpu0 = { node: ownCpuMs(), dynamodb: processCpuMs(s.stack.dynamodbPid) };
    const t0 = performance.now();
    await pool(mails, 50, async (m) => {
      await sendRaw(s.stack, m.raw, m.from);
    });
    const smtpSeconds = (performance.now() - t0) / 1000;
    while (s.stack.outcomes.size < reports) {
      if (performance.now() - t0 > 600_000) break;
      await sleep(10);
    }
    const seconds = (performance.now() - t0) / 1000;
    const done = Math.max(1, s.stack.outcomes.size);
    const cpuMsPerReport = {
      node: (ownCpuMs() - cpu0.node) / done,
      dynamodb: (processCpuMs(s.stack.dynamodbPid) - cpu0.dynamodb) / done,
    };
    const repo = new DynamoDiariumRepository(makeDocumentClient(s.stack.clientConfig('DYNAMODB')), {
      tableName: s.stack.table,
    });
    const year = new Date().getFullYear();
    // The reports that came in: each kvittens is registered too, as an expedierad handling in the same ärende.
    const handlingar = (await repo.listDiarium(`${year - 1}-01-01`, `${year + 1}-12-31`)).filter(
      (h) => h.kalla === 'epost',
    );
    const numbers = handlingar
      .map((h) => parseHandlingNummer(h.diarienummer)?.nummer ?? -1)
      .sort((a, b) => a - b);
    const unique = new Set(numbers).size === numbers.length;
    const gapFree = numbers.every((n, i) => n === i + 1);
    return {
      concurrency: ingestConcurrency,
      reports,
      seconds,
      perSecond: s.stack.outcomes.size / seconds,
      smtpPerSecond: reports / smtpSeconds,
      cpuMsPerReport,
      registered: handlingar.length,
      unique,
      gapFree,
      komplett: [...s.stack.outcomes.values()].filter((o) => o.status === 'komplett').length,
    };
  } finally {
    await stop(s);
  }
}

export async function benchBurst(
  reports: number,
  settings: number[],
  runs: number,
): Promise<{ figures: Figure[]; results: BurstResult[] }> {
  const results: BurstResult[] = [];
  const figures: Figure[] = [];
  // The whole system, and the ingest alone with the granskning Lambdas held (as if they ran elsewhere).
  const variants = [
    { label: '', granskning: undefined },
    { label: ', granskning held', granskning: 0 },
  ];
  for (const c of settings) {
    for (const v of variants) {
      const mine: BurstResult[] = [];
      for (let r = 0; r < runs; r++) mine.push(await burst(reports, c, v.granskning));
      results.push(...mine);
      const ok = mine.every((m) => m.registered === reports && m.unique && m.gapFree);
      const tag = `${reports} reports, ingest concurrency ${c}${v.label}`;
      figures.push(
        figure(
          'burst',
          tag,
          'reports/s',
          mine.map((m) => m.perSecond),
          {
            ...(v.granskning === undefined ? { target: { op: '>=' as const, value: 50 } } : {}),
            note: `${ok ? 'all registered, unique, gap-free' : 'LOST/DUPLICATE/GAP'}; ${mine.map((m) => `${m.registered} reg., ${m.komplett} komplett`).join('; ')}`,
          },
        ),
        figure(
          'burst',
          `${tag}: accepted over SMTP`,
          'reports/s',
          mine.map((m) => m.smtpPerSecond),
          {
            note: 'arrival side: every mail stored in the inbound bucket (the ankomst)',
          },
        ),
        figure(
          'burst',
          `${tag}: CPU per report, Node`,
          'ms',
          mine.map((m) => m.cpuMsPerReport.node),
          {
            note: 'the system and every emulator but DynamoDB Local share one event loop',
          },
        ),
        figure(
          'burst',
          `${tag}: CPU per report, DynamoDB Local`,
          'ms',
          mine.map((m) => m.cpuMsPerReport.dynamodb),
          { note: 'JVM, /proc utime+stime' },
        ),
        figure(
          'burst',
          `${tag}: ceiling, 2 cores ÷ CPU per report`,
          'reports/s',
          mine.map((m) => 2000 / (m.cpuMsPerReport.node + m.cpuMsPerReport.dynamodb)),
          { note: 'the most two cores can register at this CPU cost if nothing ever waited' },
        ),
      );
    }
  }
  return { figures, results };
}
