import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont } from 'pdf-lib';
import { DEJAVU_SANS_BASE64, DEJAVU_SANS_BOLD_BASE64 } from './fonts/dejavu-sans.js';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const SIZE = 11;
const LEADING = 15;
/** The lines of the text document set in bold: the heading and the section titles. */
const RUBRIKER = new Set(['Samordningsförbund Gävleborg', 'BESLUT', 'Beslut', 'Ledamöternas svar']);

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  if (text === '') return [''];
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(candidate, size) > width) {
      out.push(line);
      line = word;
    } else line = candidate;
  }
  out.push(line);
  return out;
}

/**
 * The beslut as a PDF: the same lines as the text document (beslutsdokument), set in DejaVu Sans embedded in the
 * file, so the text can be extracted and reads the same on any reader. Deterministic: the dates in the document
 * information are the time of the decision, never the clock, so a retried finalize files the same bytes.
 */
export async function beslutPdf(args: {
  text: string;
  titel: string;
  /** When the decision was made (ISO): the PDF's creation and modification date. */
  avgjord: string;
}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fontkit);
  // Not subset again by pdf-lib: its subsets get a random tag in the font name, and the font is already small.
  const regular = await pdf.embedFont(Buffer.from(DEJAVU_SANS_BASE64, 'base64'), { subset: false });
  const bold = await pdf.embedFont(Buffer.from(DEJAVU_SANS_BOLD_BASE64, 'base64'), { subset: false });
  const when = new Date(args.avgjord);
  pdf.setTitle(args.titel);
  pdf.setAuthor('Samordningsförbund Gävleborg');
  pdf.setSubject('Beredningsgruppens beslut');
  pdf.setLanguage('sv-SE');
  pdf.setCreator('Rapportflöde');
  pdf.setProducer('Rapportflöde (pdf-lib)');
  pdf.setCreationDate(when);
  pdf.setModificationDate(when);

  const width = A4.width - 2 * MARGIN;
  let page = pdf.addPage([A4.width, A4.height]);
  let y = A4.height - MARGIN;
  for (const raw of args.text.replace(/\n+$/, '').split('\n')) {
    const font = RUBRIKER.has(raw) ? bold : regular;
    const size = raw === 'BESLUT' ? 16 : SIZE;
    for (const line of wrap(raw, font, size, width)) {
      if (y < MARGIN + LEADING) {
        page = pdf.addPage([A4.width, A4.height]);
        y = A4.height - MARGIN;
      }
      if (line) page.drawText(line, { x: MARGIN, y, size, font, color: rgb(0, 0, 0) });
      y -= raw === 'BESLUT' ? LEADING * 1.5 : LEADING;
    }
  }
  return pdf.save({ useObjectStreams: false });
}
