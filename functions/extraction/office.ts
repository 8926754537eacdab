import { zipSync } from 'fflate';
import type { ExtractionLimits } from './limits.js';
import { ExtractionAbortError } from './problems.js';
import { htmlToText, odfToText } from './html-to-text.js';
import { openZip } from './zip.js';

/**
 * .docx via mammoth. mammoth (JSZip inside) never sees the sender's container: we inflate the XML
 * parts under our caps, reject DOCTYPE, and re-pack them uncompressed; images are left empty.
 */
export async function extractDocx(bytes: Uint8Array, limits: ExtractionLimits): Promise<string> {
  const { xml, others } = openZip(bytes, limits);
  if (!xml.has('word/document.xml')) throw new ExtractionAbortError('TRASIG_FIL', 'word/document.xml saknas');
  const files: Record<string, Uint8Array> = {};
  for (const [name, data] of xml) files[name] = data;
  for (const name of others) files[name] = new Uint8Array(0);
  const clean = zipSync(files, { level: 0 });
  const mammoth = (await import('mammoth')).default;
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(clean.buffer, clean.byteOffset, clean.byteLength) },
    {
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
      ignoreEmptyParagraphs: false,
      externalFileAccess: false,
    },
  );
  return htmlToText(result.value);
}

/** .odt: content.xml read with htmlparser2's tokenizer (no DTD processing, so no entity expansion). */
export function extractOdt(bytes: Uint8Array, limits: ExtractionLimits): string {
  const { xml } = openZip(bytes, limits);
  const content = xml.get('content.xml');
  if (!content) throw new ExtractionAbortError('TRASIG_FIL', 'content.xml saknas');
  return odfToText(new TextDecoder('utf-8').decode(content));
}

/** Legacy .doc (OLE2) via word-extractor. */
export async function extractDoc(bytes: Uint8Array): Promise<string> {
  const { default: WordExtractor } = await import('word-extractor');
  const doc = await new WordExtractor().extract(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  );
  return doc.getBody();
}
