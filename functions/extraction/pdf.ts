import type { ExtractionLimits } from './limits.js';
import { ExtractionAbortError } from './problems.js';
import { tidyText } from './text-decode.js';
import { ocrWorkerCount, reportOcrProgress, startOcrPool, type OcrPool } from './ocr.js';
import type { Deadline } from './deadline.js';
import { greyPng, type Raster } from './grey-png.js';

/** A page with fewer visible characters than this (and an image on it) is treated as scanned. */
const MIN_TEXT_CHARS = 40;
/** OCR resolution; capped so a huge page size cannot allocate a huge canvas. */
const OCR_DPI = 300;
const MAX_RENDER_SIDE_PX = 4500;

export interface PdfResult {
  text: string;
  pages: number;
  ocrPages: number;
}

// pdf.js options that keep hostile PDFs inert: no eval-compiled fonts, no XFA, no scripting,
// no font loading into the runtime.
const SAFE_OPTIONS = {
  isEvalSupported: false,
  enableXfa: false,
  disableFontFace: true,
  useSystemFonts: false,
  stopAtErrors: false,
  verbosity: 0,
};

type Unpdf = typeof import('unpdf');
type PdfDoc = Awaited<ReturnType<Unpdf['getDocumentProxy']>>;
type PdfPage = Awaited<ReturnType<PdfDoc['getPage']>>;
type RenderParameters = Parameters<PdfPage['render']>[0];

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : '';
}

async function open(unpdf: Unpdf, bytes: Uint8Array, extra: object = {}): Promise<PdfDoc> {
  try {
    // pdf.js may take ownership of (detach) the buffer it is given, and refuses Node Buffers: hand it a plain copy.
    return await unpdf.getDocumentProxy(new Uint8Array(bytes), { ...SAFE_OPTIONS, ...extra });
  } catch (err) {
    if (errorName(err) === 'PasswordException') throw new ExtractionAbortError('KRYPTERAD_PDF');
    throw new ExtractionAbortError(
      'TRASIG_FIL',
      errorName(err) === 'InvalidPDFException' ? 'ogiltig PDF' : undefined,
    );
  }
}

const IMAGE_OPS = ['paintImageXObject', 'paintInlineImageXObject', 'paintImageMaskXObject'] as const;

/** What a page paints: whether it has any image, and its largest decoded image (null when none is usable). */
async function pageImages(
  unpdf: Unpdf,
  page: PdfPage,
): Promise<{ hasImage: boolean; count: number; largest: Raster | null }> {
  const { OPS } = await unpdf.getResolvedPDFJS();
  const ops = await page.getOperatorList();
  const imageOps = new Set<number>(IMAGE_OPS.map((op) => OPS[op]));
  let count = 0;
  let largest: Raster | null = null;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i]!;
    if (!imageOps.has(fn)) continue;
    count++;
    if (fn !== OPS.paintImageXObject) continue;
    const raster = await decodedImage(page, ops.argsArray[i]);
    if (raster && (!largest || raster.width * raster.height > largest.width * largest.height))
      largest = raster;
  }
  return { hasImage: count > 0, count, largest };
}

/** The decoded image pdf.js keeps for a paintImageXObject (RGB, RGBA or grey bytes), or null. */
async function decodedImage(page: PdfPage, args: unknown): Promise<Raster | null> {
  const key: unknown = Array.isArray(args) ? args[0] : undefined;
  if (typeof key !== 'string') return null;
  const objs = key.startsWith('g_') ? page.commonObjs : page.objs;
  const image: unknown = await new Promise((resolve) => {
    objs.get(key, resolve);
  });
  if (typeof image !== 'object' || image === null) return null;
  if (!('data' in image && 'width' in image && 'height' in image)) return null;
  const { width, height, data } = image;
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) return null;
  if (typeof width !== 'number' || typeof height !== 'number' || !(width > 0 && height > 0)) return null;
  // 1-bit images come packed (fewer bytes than pixels) and go the rendering way.
  const channels = data.length / (width * height);
  return channels === 1 || channels === 3 || channels === 4 ? { data, width, height, channels } : null;
}

/**
 * The first pass over one page: its text layer, whether it is a scan, and (when asked) the scan as a greyscale
 * PNG for the OCR. A helper of its own so that the page's decoded image (about 100 MB for an A4 page scanned at
 * 600 dpi) lives only in this frame: a local of extractPdf would stay reachable from the suspended async
 * function all through the OCR stage. Together with releaseDecodedImages below this bounds a scan's peak
 * memory (figures in docs/performance.md).
 */
async function readPage(
  unpdf: Unpdf,
  page: PdfPage,
  wantPng: boolean,
): Promise<{ text: string; scanned: boolean; png: Uint8Array | null }> {
  const content = await page.getTextContent();
  let text = '';
  for (const item of content.items) {
    if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
  }
  if (text.replace(/\s/g, '').length >= MIN_TEXT_CHARS) return { text, scanned: false, png: null };
  const images = await pageImages(unpdf, page);
  if (!images.hasImage) return { text, scanned: false, png: null };
  return { text, scanned: true, png: wantPng ? preparedScan(images, page) : null };
}

export async function extractPdf(
  bytes: Uint8Array,
  limits: ExtractionLimits,
  ocr: boolean,
  deadline: Deadline,
): Promise<PdfResult> {
  const unpdf = await import('unpdf');
  const doc = await open(unpdf, bytes);
  const pageTexts: string[] = [];
  const needOcr: number[] = [];
  // Greyscale PNGs made while a page's image was decoded anyway (to see that it has one), so the OCR
  // stage need not decode it again; bounded so a long scan cannot pile them up.
  const prepared = new Map<number, Uint8Array>();
  let preparedBytes = 0;
  try {
    if (doc.numPages > limits.maxPdfPages) {
      throw new ExtractionAbortError('FOR_MANGA_SIDOR', `${doc.numPages} sidor, högst ${limits.maxPdfPages}`);
    }
    for (let n = 1; n <= doc.numPages; n++) {
      deadline.check();
      const page = await doc.getPage(n);
      try {
        const wantPng = ocr && needOcr.length < limits.maxOcrPages && preparedBytes <= PREPARED_BUDGET_BYTES;
        const { text, scanned, png } = await readPage(unpdf, page, wantPng);
        pageTexts.push(text);
        if (!scanned) continue;
        needOcr.push(n);
        if (png) {
          prepared.set(n, png);
          preparedBytes += png.length;
        }
      } finally {
        // Drops pdf.js's decoded images of the page (tens of MB for a scan).
        page.cleanup();
      }
    }
  } catch (err) {
    await doc.loadingTask.destroy();
    if (err instanceof ExtractionAbortError) throw err;
    throw new ExtractionAbortError('TRASIG_FIL');
  }
  await doc.loadingTask.destroy();

  const pages = pageTexts.length;
  if (needOcr.length === 0) return { text: tidyText(pageTexts.join('\n')), pages, ocrPages: 0 };
  if (!ocr) throw new ExtractionAbortError('OCR_AVSTANGD');
  if (needOcr.length > limits.maxOcrPages) {
    throw new ExtractionAbortError(
      'FOR_MANGA_SKANNADE_SIDOR',
      `${needOcr.length} sidor, högst ${limits.maxOcrPages}`,
    );
  }
  releaseDecodedImages();
  const ocrTexts = await ocrPages(unpdf, bytes, needOcr, prepared, limits, deadline);
  needOcr.forEach((n, i) => (pageTexts[n - 1] = ocrTexts[i] ?? ''));
  return { text: tidyText(pageTexts.join('\n')), pages, ocrPages: needOcr.length };
}

/**
 * The first pass leaves the scans' decoded images behind as garbage (about 100 MB for a page scanned at 600 dpi),
 * and during the OCR this thread allocates too little for V8 to collect them, so they would sit beside the
 * workers' heaps. The ingest runs with `--expose-gc` (infra/constructs/ingest-pipeline.ts) to free them before the
 * workers start; elsewhere `gc` is absent and this does nothing.
 */
function releaseDecodedImages(): void {
  const { gc } = globalThis as { gc?: () => void };
  gc?.();
}

async function ocrPages(
  unpdf: Unpdf,
  bytes: Uint8Array,
  pageNumbers: number[],
  prepared: Map<number, Uint8Array>,
  limits: ExtractionLimits,
  deadline: Deadline,
): Promise<string[]> {
  const opened: { doc?: PdfDoc } = {};
  let pool: OcrPool | null = null;
  try {
    // The document is opened again only for pages whose image was not prepared in the first pass.
    const openDoc = async (): Promise<PdfDoc> => {
      if (opened.doc) return opened.doc;
      const CanvasFactory = await unpdf.createIsomorphicCanvasFactory(() => import('@napi-rs/canvas'));
      opened.doc = await open(unpdf, bytes, { CanvasFactory });
      return opened.doc;
    };
    const workers = ocrWorkerCount(pageNumbers.length, limits.ocrConcurrency);
    pool = await startOcrPool(workers, deadline);
    const p = pool;
    const results: string[] = new Array<string>(pageNumbers.length).fill('');
    // Decoding and rendering run on this thread one page at a time (running them side by side gains
    // nothing and multiplies their transient buffers). One lane more than workers keeps the next
    // page's PNG ready while the workers are busy; only that small PNG is held.
    let decoding: Promise<unknown> = Promise.resolve();
    const prepare = (pageNo: number): Promise<Uint8Array> => {
      const ready = prepared.get(pageNo);
      if (ready) {
        prepared.delete(pageNo);
        return Promise.resolve(ready);
      }
      const png = decoding.then(async () => {
        deadline.check();
        return pageImage(unpdf, await openDoc(), pageNo);
      });
      decoding = png.catch(() => undefined);
      return png;
    };
    let next = 0;
    let done = 0;
    reportOcrProgress({ done, total: pageNumbers.length });
    const lane = async (): Promise<void> => {
      while (next < pageNumbers.length) {
        const i = next++;
        const png = await prepare(pageNumbers[i]!);
        deadline.check();
        results[i] = await p.recognize(png);
        reportOcrProgress({ done: ++done, total: pageNumbers.length });
      }
    };
    const lanes = Math.min(pageNumbers.length, workers + 1);
    await deadline.race(Promise.all(Array.from({ length: lanes }, lane)));
    return results;
  } catch (err) {
    if (err instanceof ExtractionAbortError) throw err;
    throw new ExtractionAbortError('OCR_MISSLYCKADES');
  } finally {
    prepared.clear();
    await pool?.terminate();
    await opened.doc?.loadingTask.destroy();
  }
}

/** Smallest embedded image (long side, px) we OCR directly instead of rendering the page. */
const MIN_SCAN_SIDE_PX = 1200;
const MAX_SCAN_PIXELS = 40_000_000;
/** Pixels handed to the OCR engine at most (A4 at 300 dpi is 8.7 MP); bounds each worker's heap. */
const MAX_OCR_PIXELS = 12_000_000;
/** PNGs kept from the first pass; past this the OCR stage decodes the page again. */
const PREPARED_BUDGET_BYTES = 32 * 1024 * 1024;

/** Scale that brings an image of `width` × `height` covering a page of `pageLongSidePt` to ≤ 300 dpi and the pixel cap. */
function ocrScale(width: number, height: number, pageLongSidePt: number): number {
  const longSide = Math.max(width, height);
  const dpi = pageLongSidePt > 0 ? longSide / (pageLongSidePt / 72) : OCR_DPI;
  return Math.min(
    1,
    OCR_DPI / dpi,
    MAX_RENDER_SIDE_PX / longSide,
    Math.sqrt(MAX_OCR_PIXELS / (width * height)),
  );
}

/**
 * A scanned page is usually one full-page image. That image is taken directly, since rendering the page with
 * pdf.js on Node costs many times more (docs/performance.md). Null when the page is not
 * like that (several or small images): then it is rendered.
 */
function scanPng(images: Awaited<ReturnType<typeof pageImages>>, page: PdfPage): Uint8Array | null {
  const img = images.largest;
  if (!img || images.count > 3) return null;
  const { width, height } = img;
  if (Math.max(width, height) < MIN_SCAN_SIDE_PX || width * height > MAX_SCAN_PIXELS) return null;
  const view = page.getViewport({ scale: 1 });
  return greyPng(img, ocrScale(width, height, Math.max(view.width, view.height)));
}

/** scanPng for the first pass, where a failure only means the OCR stage takes the page again. */
function preparedScan(images: Awaited<ReturnType<typeof pageImages>>, page: PdfPage): Uint8Array | null {
  try {
    return scanPng(images, page);
  } catch {
    return null;
  }
}

async function pageImage(unpdf: Unpdf, doc: PdfDoc, pageNo: number): Promise<Uint8Array> {
  const page = await doc.getPage(pageNo);
  try {
    try {
      const scan = scanPng(await pageImages(unpdf, page), page);
      if (scan) return scan;
    } catch {
      // Unusual image encodings: fall back to rendering the page.
    }
    page.cleanup();
    return await renderPage(page);
  } finally {
    page.cleanup();
  }
}

async function renderPage(page: PdfPage): Promise<Uint8Array> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const base = page.getViewport({ scale: 1 });
  const scale = Math.min(
    OCR_DPI / 72,
    MAX_RENDER_SIDE_PX / Math.max(base.width, base.height, 1),
    Math.sqrt(MAX_OCR_PIXELS / Math.max(base.width * base.height, 1)),
  );
  const viewport = page.getViewport({ scale });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const context = canvas.getContext('2d');
  // pdf.js paints white paper first; @napi-rs/canvas's context stands in for the DOM one it is typed with.
  const params: object = { canvas: null, canvasContext: context, viewport };
  await page.render(params as RenderParameters).promise;
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  return greyPng({ data, width, height, channels: 4 });
}
