import type { DocumentFormat, ExtractedDocument } from '../../domain/extraction/types.js';
import { Deadline } from './deadline.js';
import { detectType, IMAGE_TYPES } from './detect-type.js';
import { htmlToText } from './html-to-text.js';
import { resolveLimits, type ExtractionLimits } from './limits.js';
import { ExtractionAbortError, problem } from './problems.js';
import { decodeText, tidyText } from './text-decode.js';

export interface ExtractDocumentOptions {
  limits?: Partial<ExtractionLimits>;
  /** Render and OCR pages without a text layer, and image files (default true). */
  ocr?: boolean;
  /**
   * The budget this document is read within (its mail's); the document gets at most `timeBudgetMs` of it.
   * Without one (an upload) the document has `timeBudgetMs` of its own.
   */
  deadline?: Deadline;
}

const UNSUPPORTED_HINT: Record<string, string> = {
  rtf: 'RTF-format',
  gif: 'GIF-bild',
  zip: 'zip-arkiv eller annat Office-format',
  tnef: 'Outlooks winmail.dat',
  okand: 'okänt format',
};

interface Read {
  format: DocumentFormat;
  text: string;
  pages?: number;
  ocrPages?: number;
}

async function read(
  bytes: Uint8Array,
  type: string,
  limits: ExtractionLimits,
  ocr: boolean,
  deadline: Deadline,
): Promise<Read> {
  switch (type) {
    case 'pdf': {
      const { extractPdf } = await import('./pdf.js');
      const r = await extractPdf(bytes, limits, ocr, deadline);
      return {
        format: r.ocrPages > 0 ? 'pdf-ocr' : 'pdf',
        text: r.text,
        pages: r.pages,
        ocrPages: r.ocrPages,
      };
    }
    case 'docx': {
      const { extractDocx } = await import('./office.js');
      return { format: 'docx', text: tidyText(await extractDocx(bytes, limits)) };
    }
    case 'odt': {
      const { extractOdt } = await import('./office.js');
      return { format: 'odt', text: tidyText(extractOdt(bytes, limits)) };
    }
    case 'doc': {
      const { extractDoc } = await import('./office.js');
      return { format: 'doc', text: tidyText(await extractDoc(bytes)) };
    }
    case 'ole-krypterad':
      throw new ExtractionAbortError('KRYPTERAT_DOKUMENT');
    case 'text':
      return { format: 'text', text: tidyText(decodeText(bytes)) };
    case 'html':
      return { format: 'html', text: tidyText(htmlToText(decodeText(bytes))) };
    default:
      if (IMAGE_TYPES.has(type)) {
        if (!ocr) throw new ExtractionAbortError('OCR_AVSTANGD');
        const { extractImage } = await import('./image.js');
        return { format: 'bild-ocr', text: await extractImage(bytes, type, deadline), pages: 1, ocrPages: 1 };
      }
      throw new ExtractionAbortError(
        type === 'tnef' ? 'WINMAIL_DAT' : 'OKANT_FORMAT',
        UNSUPPORTED_HINT[type],
      );
  }
}

/** Reads the text of one file. Never throws: every failure is an ExtractionProblem. */
export async function extractDocument(
  bytes: Uint8Array,
  filename: string,
  opts: ExtractDocumentOptions = {},
): Promise<ExtractedDocument> {
  const limits = resolveLimits(opts.limits);
  const fail = (kod: ExtractionAbortError['kod'], detail?: string): ExtractedDocument => ({
    format: null,
    text: null,
    problems: [problem(kod, filename, detail)],
  });
  if (bytes.length === 0) return fail('TOM_FIL');
  if (bytes.length > limits.maxRawBytes) {
    return fail('FOR_STOR', `${(bytes.length / 1048576).toFixed(1)} MB`);
  }
  const deadline = opts.deadline
    ? opts.deadline.within(limits.timeBudgetMs)
    : new Deadline(limits.timeBudgetMs);
  if (deadline.expired()) return fail('TIDSGRANS');
  try {
    const r = await deadline.race(read(bytes, detectType(bytes), limits, opts.ocr ?? true, deadline));
    const doc: ExtractedDocument = { format: r.format, text: r.text, problems: [] };
    if (r.pages !== undefined) doc.pages = r.pages;
    if (r.ocrPages !== undefined) doc.ocrPages = r.ocrPages;
    if (r.text.trim() === '') {
      doc.text = null;
      doc.problems.push(problem('INGEN_TEXT', filename));
    }
    return doc;
  } catch (err) {
    if (err instanceof ExtractionAbortError) return fail(err.kod, err.detail);
    return fail('TRASIG_FIL');
  }
}
