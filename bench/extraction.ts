/**
 * Extraction throughput (text PDF pages/s, docx documents/s, OCR s/page on all cores), parse + validate time,
 * and peak RSS of the ingest's extraction on hostile inputs, each in a fresh child process.
 * Standalone: `npx tsx bench/run.ts --only=extraction,hostile`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { DEFAULT_REGISTRERINGSFRIST_MS } from '../domain/defaults.js';
import { z } from 'zod';
import { extractDocument } from '../functions/extraction/index.js';
import { readSlutrapport } from '../domain/slutrapport/index.js';
import {
  BILLION_LAUGHS,
  composeMail,
  makeDocx,
  makeLongHeaderMail,
  makeLyingZip,
  makeManyEntriesZip,
  makeManyPartsMail,
  makeScannedPdf,
  makeZipBomb,
  replaceZipPart,
} from '../test/fixtures/extraction/generate.js';
import { syntheticReportPdf, syntheticReport } from './lib/fixtures.js';
import { figure, repeat, type Figure } from './lib/stats.js';
import { INGEST_NODE_OPTIONS } from '../infra/constructs/ingest-pipeline.js';

const run = promisify(execFile);

async function multiplyPages(pdfBytes: Uint8Array, pages: number): Promise<Uint8Array> {
  const src = await PDFDocument.load(pdfBytes);
  const out = await PDFDocument.create();
  const indices = src.getPageIndices();
  while (out.getPageCount() < pages) {
    for (const p of await out.copyPages(src, indices)) if (out.getPageCount() < pages) out.addPage(p);
  }
  return out.save({ useObjectStreams: false });
}

export async function benchExtraction(runs: number, ocrRuns: number): Promise<Figure[]> {
  const figures: Figure[] = [];
  const group = 'extraction';

  const pdf = await multiplyPages(await syntheticReportPdf(), 50);
  await extractDocument(pdf, 'warm.pdf');
  const pdfRates = await repeat(runs, async () => {
    const t0 = performance.now();
    const d = await extractDocument(pdf, 'r.pdf');
    if (!d.text) throw new Error('Ingen text ur PDF');
    return 50 / ((performance.now() - t0) / 1000);
  });
  figures.push(
    figure(group, 'text PDF (50 pages)', 'pages/s', pdfRates, { target: { op: '>=', value: 100 } }),
  );

  const docx = await syntheticReport('docx');
  await extractDocument(docx, 'warm.docx');
  const docxRates = await repeat(runs, async () => {
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) await extractDocument(docx, 'r.docx');
    return 20 / ((performance.now() - t0) / 1000);
  });
  figures.push(figure(group, 'docx (20 per run)', 'docs/s', docxRates, { target: { op: '>=', value: 50 } }));

  const cores = availableParallelism();
  const scanPages = cores * 2;
  const scan = await multiplyPages(await makeScannedPdf(), scanPages);
  const ocr = await repeat(ocrRuns, async () => {
    const t0 = performance.now();
    const d = await extractDocument(scan, 's.pdf');
    if (!d.text?.includes('Slutrapport')) throw new Error('OCR gav ingen text');
    return (performance.now() - t0) / 1000 / scanPages;
  });
  figures.push(
    figure(group, `OCR, ${scanPages}-page scan, ${cores} workers`, 's/page', ocr, {
      target: { op: '<=', value: 3 },
      note: 'wall clock, worker start-up included',
    }),
  );
  const one = await makeScannedPdf();
  const single = await repeat(ocrRuns, async () => {
    const t0 = performance.now();
    await extractDocument(one, 's1.pdf');
    return (performance.now() - t0) / 1000;
  });
  figures.push(
    figure(group, 'OCR, single-page scan', 's', single, { note: 'one worker, start-up included' }),
  );
  return figures;
}

/** readSlutrapport (parse + validate) on the text the extraction gives for each format. */
export async function benchParse(runs: number): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const format of ['pdf', 'docx'] as const) {
    const text = (await extractDocument(await syntheticReport(format), `r.${format}`)).text;
    if (!text) throw new Error('Ingen text');
    for (let i = 0; i < 50; i++) readSlutrapport(text, { idag: '2025-09-01' });
    const per = await repeat(runs, () => {
      const n = 200;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        if (readSlutrapport(text, { idag: '2025-09-01' }).status !== 'komplett')
          throw new Error('inte komplett');
      }
      return Promise.resolve((performance.now() - t0) / n);
    });
    out.push(
      figure('parse + validate', `readSlutrapport, ${format} text`, 'ms', per, {
        target: { op: '<=', value: 5 },
      }),
    );
  }
  return out;
}

/** The hostile inputs: what the worst sender can put in the bucket (≤ 40 MB, as SES inbound accepts). */
async function hostileInputs(
  quick: boolean,
): Promise<Record<string, { kind: 'mail' | 'document'; name: string; bytes: Uint8Array }>> {
  const from = 'angripare@exempel.example';
  const to = 'kontakt@finsamgavleborg.se';
  const doc = (name: string, bytes: Uint8Array) => ({ kind: 'document' as const, name, bytes });
  const mail = (bytes: Uint8Array) => ({ kind: 'mail' as const, name: 'raw', bytes });
  const cores = availableParallelism();
  return {
    'zip bomb .docx (20 MB XML)': doc('b.docx', makeZipBomb(20)),
    'zip bomb .docx (200 MB XML)': doc('b.docx', makeZipBomb(200)),
    'billion laughs .docx': doc(
      'l.docx',
      replaceZipPart(await makeDocx(), 'word/document.xml', BILLION_LAUGHS),
    ),
    'lying zip directory': doc('z.docx', makeLyingZip()),
    '3 000-entry zip': doc('e.docx', makeManyEntriesZip(3000)),
    '200-page text PDF': doc('p.pdf', await multiplyPages(await syntheticReportPdf(), 200)),
    [`${quick ? cores * 2 : cores * 4}-page scanned PDF (OCR)`]: doc(
      's.pdf',
      await multiplyPages(await makeScannedPdf(), quick ? cores * 2 : cores * 4),
    ),
    // Scanners' "high quality" setting: four times the pixels of each page before the OCR path shrinks them.
    [`${quick ? cores * 2 : cores * 4}-page scanned PDF at 600 dpi (OCR)`]: doc(
      's600.pdf',
      await multiplyPages(await makeScannedPdf(undefined, 600), quick ? cores * 2 : cores * 4),
    ),
    '5 000 MIME parts': mail(makeManyPartsMail(5000)),
    '1 MB header': mail(makeLongHeaderMail()),
    '38 MB mail, one 28 MB attachment': mail(
      await composeMail({
        from,
        to,
        subject: 'Stor',
        text: 'x',
        attachments: [{ filename: 'stor.bin', content: Buffer.alloc(28 * 1024 * 1024, 7) }],
      }),
    ),
    '38 MB mail, 20 × 1.4 MB text PDFs': mail(
      await composeMail({
        from,
        to,
        subject: 'Många',
        text: 'x',
        attachments: Array.from({ length: 20 }, (_, i) => ({
          filename: `r${i}.pdf`,
          content: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1_400_000, 0x20)]),
        })),
      }),
    ),
    'zip bomb .docx attached to a mail': mail(
      await composeMail({
        from,
        to,
        subject: 'Bomb',
        text: 'x',
        attachments: [{ filename: 'rapport.docx', content: Buffer.from(makeZipBomb(200)) }],
      }),
    ),
  };
}

const childResult = z.object({
  maxRssKb: z.number(),
  ms: z.number(),
  openMs: z.number().nullable(),
  problems: z.array(z.string()),
});

/** Runs each input through the ingest's extractor in a fresh `node` and reads its peak RSS (getrusage). */
export async function benchHostile(dir: string, quick: boolean): Promise<Figure[]> {
  const inputDir = path.join(dir, 'hostile');
  mkdirSync(inputDir, { recursive: true });
  const child = path.join(import.meta.dirname, 'lib', 'hostile-child.ts');
  const tsx = path.join(import.meta.dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const inputs = {
    baseline: { kind: 'none' as const, name: '-', bytes: new Uint8Array() },
    ...(await hostileInputs(quick)),
  };
  const figures: Figure[] = [];
  let i = 0;
  for (const [label, input] of Object.entries(inputs)) {
    const file = path.join(inputDir, `${i++}.bin`);
    writeFileSync(file, input.bytes);
    const samples: z.infer<typeof childResult>[] = [];
    for (let r = 0; r < (quick ? 1 : 2); r++) {
      const { stdout } = await run(process.execPath, [tsx, child, input.kind, file, input.name], {
        // With the ingest's Node options on Lambda.
        env: { ...process.env, NODE_OPTIONS: INGEST_NODE_OPTIONS.join(' ') },
        maxBuffer: 1 << 20,
        timeout: 300_000,
      });
      samples.push(childResult.parse(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')));
    }
    const problems = [...new Set(samples.flatMap((s) => s.problems))].join(',');
    figures.push(
      figure(
        'peak RSS',
        label,
        'MB',
        samples.map((s) => s.maxRssKb / 1024),
        {
          ...(input.kind === 'none' ? {} : { target: { op: '<=' as const, value: 512 } }),
          note: `${Math.round(samples.reduce((a, s) => a + s.ms, 0) / samples.length)} ms${problems ? `; ${problems}` : ''}`,
        },
      ),
    );
    const opens = samples.flatMap((s) => (s.openMs === null ? [] : [s.openMs]));
    if (opens.length > 0) {
      // Registration waits for the opening plus at most the registration window (DEFAULT_REGISTRERINGSFRIST_MS),
      // then registers; the whole must stay within 60 s of arrival.
      figures.push(
        figure(
          'time to registration',
          `${label}: open + window`,
          'ms',
          opens.map((ms) => ms + DEFAULT_REGISTRERINGSFRIST_MS),
          {
            target: { op: '<=' as const, value: 60_000 },
            note: `opening ${Math.round(opens.reduce((a, b) => a + b, 0) / opens.length)} ms + window ${DEFAULT_REGISTRERINGSFRIST_MS} ms (S3 and DynamoDB writes not included)`,
          },
        ),
      );
    }
  }
  return figures;
}
