/** Child of bench/extraction.ts: one input through the ingest's extractor, then its peak RSS as JSON. */
import { readFileSync } from 'node:fs';
import { reportExtractor } from '../../functions/extraction/report-extractor.js';

const [kind, file, name] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(file ?? ''));
const t0 = performance.now();
let problems: string[] = [];
// What registration waits for at most: opening the mail (headers, bodies, attachments), never its documents.
let openMs: number | null = null;
if (kind === 'mail') {
  const opened = await reportExtractor.openMail(bytes);
  openMs = performance.now() - t0;
  const content = await reportExtractor.readMail(opened);
  problems = [...opened.problems, ...content.problems].map((p) => p.kod);
} else if (kind === 'document') {
  const d = await reportExtractor.extractDocument(bytes, name ?? 'fil');
  problems = d.problems.map((p) => p.kod);
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, ms, openMs, problems }));
