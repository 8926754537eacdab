// scratch: OCR memory by worker count and pages
import { extractDocument } from '../functions/lib/extraction/index.js';
import { makeScannedPdf } from '../test/fixtures/extraction/generate.js';
import { PDFDocument } from 'pdf-lib';
const [pagesArg, workersArg] = process.argv.slice(2);
const pages = Number(pagesArg);
const one = await makeScannedPdf();
const src = await PDFDocument.load(one);
const out = await PDFDocument.create();
for (let i = 0; i < pages; i++) { const [p] = await out.copyPages(src, [0]); out.addPage(p!); }
const bytes = await out.save();
const base = process.resourceUsage().maxRSS;
let peakHeap = 0; let peakExt = 0;
const t = setInterval(() => { const m = process.memoryUsage(); peakHeap = Math.max(peakHeap, m.heapUsed); peakExt = Math.max(peakExt, m.external + m.arrayBuffers); }, 10);
const t0 = performance.now();
const d = await extractDocument(bytes, 's.pdf', { limits: { ocrConcurrency: Number(workersArg) } });
clearInterval(t);
console.log(JSON.stringify({ pages, workers: workersArg, baseMB: base / 1024, maxRssMB: process.resourceUsage().maxRSS / 1024, heapMB: peakHeap / 1048576, extMB: peakExt / 1048576, s: (performance.now() - t0) / 1000, ok: d.text?.includes('Slutrapport') }));
