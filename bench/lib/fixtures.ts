import { PDFDocument, StandardFonts } from 'pdf-lib';
import {
  syntheticReportDocx,
  syntheticReportLines,
  type SyntheticReportOptions,
} from '../../test/support/synthetic-report.js';

/** Word-wraps a line to at most `width` characters (the report's answers are long paragraphs). */
function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const out: string[] = [];
  let cur = '';
  for (const word of line.split(' ')) {
    if (cur && cur.length + 1 + word.length > width) {
      out.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * The synthetic slutrapport as a text PDF, paginated like a Word export. Helvetica's WinAnsi encoding
 * covers å/ä/ö and the en dash, so no font needs embedding. `repeatPages` adds filler pages for throughput runs.
 */
export async function syntheticReportPdf(o: SyntheticReportOptions = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const lines = syntheticReportLines(o).flatMap((l) => wrap(l, 95));
  const perPage = 42;
  for (let start = 0; start < lines.length; start += perPage) {
    const page = pdf.addPage([595, 842]);
    lines.slice(start, start + perPage).forEach((l, i) => {
      page.drawText(l, { x: 50, y: 790 - i * 17, size: 10, font });
    });
  }
  return pdf.save({ useObjectStreams: false });
}

export async function syntheticReport(
  format: 'pdf' | 'docx',
  o: SyntheticReportOptions = {},
): Promise<Uint8Array> {
  return format === 'pdf' ? syntheticReportPdf(o) : new Uint8Array(await syntheticReportDocx(o));
}
