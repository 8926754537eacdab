/**
 * Extraction throughput and memory: `npx tsx bench/extraction.ts`.
 * Prints text-PDF pages/s, docx docs/s, OCR s/page with all cores, and peak RSS for the worst
 * hostile inputs (zip bomb, 5 000-part mail, 40 MB mail, multi-page scan).
 */
import { availableParallelism } from 'node:os';
import { extractDocument, extractMail } from '../functions/lib/extraction/index.js';
import {
  composeMail,
  makeDocx,
  makeManyPartsMail,
  makeScannedPdf,
  makeTextPdf,
  makeZipBomb,
} from '../test/fixtures/extraction/generate.js';
import { PDFDocument } from 'pdf-lib';

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const mb = (n: number): string => `${(n / 1048576).toFixed(0)} MB`;

async function time(label: string, fn: () => Promise<unknown>): Promise<number> {
  peak = process.memoryUsage().rss;
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  console.log(`${label}: ${ms.toFixed(0)} ms, peak RSS ${mb(peak)}`);
  return ms;
}

const pdf = await makeTextPdf(undefined, 50);
await extractDocument(pdf, 'warm.pdf');
const pdfMs = await time('text PDF, 50 pages', () => extractDocument(pdf, 'r.pdf'));
console.log(`  → ${((50 / pdfMs) * 1000).toFixed(0)} pages/s`);

const docx = await makeDocx();
await extractDocument(docx, 'warm.docx');
const docxMs = await time('docx ×20', async () => {
  for (let i = 0; i < 20; i++) await extractDocument(docx, 'r.docx');
});
console.log(`  → ${((20 / docxMs) * 1000).toFixed(0)} docs/s`);

const cores = availableParallelism();
const one = await makeScannedPdf();
const merged = await PDFDocument.create();
const src = await PDFDocument.load(one);
for (let i = 0; i < cores * 2; i++) {
  const [p] = await merged.copyPages(src, [0]);
  merged.addPage(p);
}
const scan = await merged.save();
const ocrMs = await time(`scanned PDF, ${cores * 2} pages, ${cores} cores`, () =>
  extractDocument(scan, 's.pdf'),
);
console.log(`  → ${(ocrMs / 1000 / (cores * 2)).toFixed(2)} s/page wall clock (worker start-up included)`);
const oneMs = await time('scanned PDF, 1 page', () => extractDocument(one, 's1.pdf'));
console.log(`  → ${(oneMs / 1000).toFixed(2)} s for a single page`);

const pick = (): number => -1;
await time('hostile: zip bomb (20 MB of XML in 20 KB)', () => extractDocument(makeZipBomb(20), 'b.docx'));
await time('hostile: 5 000 MIME parts', () => extractMail(makeManyPartsMail(5000), { pickReport: pick }));
const big = await composeMail({
  from: 'a@b.example',
  to: 'kontakt@finsamgavleborg.se',
  subject: 'Stor',
  text: 'x',
  attachments: [{ filename: 'stor.bin', content: Buffer.alloc(28 * 1024 * 1024, 7) }],
});
console.log(`  (raw mail ${mb(big.length)})`);
await time('hostile: 38 MB mail with one 28 MB attachment', () => extractMail(big, { pickReport: pick }));
clearInterval(sampler);
