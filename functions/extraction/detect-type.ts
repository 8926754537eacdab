import { readCentralDirectory, readEntry } from './zip.js';

/**
 * Detected file types: 'pdf' | 'docx' | 'odt' | 'doc' | 'zip' | 'png' | 'jpeg' | 'tiff' | 'gif' |
 * 'tnef' | 'rtf' | 'html' | 'text' | 'okand', plus 'ole-krypterad' (an encrypted Office file:
 * password-protected .docx files are OLE containers with an EncryptedPackage stream).
 */
export type DetectedType =
  | 'pdf'
  | 'docx'
  | 'odt'
  | 'doc'
  | 'zip'
  | 'png'
  | 'jpeg'
  | 'tiff'
  | 'gif'
  | 'tnef'
  | 'rtf'
  | 'html'
  | 'text'
  | 'okand'
  | 'ole-krypterad';

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  return sig.every((v, i) => b[at + i] === v);
}

function ascii(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, Math.max(0, Math.min(end, b.length) - start)).toString(
    'latin1',
  );
}

function containsUtf16(b: Uint8Array, word: string): boolean {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).includes(Buffer.from(word, 'utf16le'));
}

function detectZip(bytes: Uint8Array): DetectedType {
  try {
    const entries = readCentralDirectory(bytes, 100_000);
    const names = new Set(entries.map((e) => e.name));
    if (names.has('word/document.xml')) return 'docx';
    const mimetype = entries.find((e) => e.name === 'mimetype');
    if (mimetype && mimetype.uncompressedSize < 200) {
      const value = new TextDecoder().decode(readEntry(bytes, mimetype)).trim();
      if (value === 'application/vnd.oasis.opendocument.text') return 'odt';
    }
    return 'zip';
  } catch {
    // No readable directory (truncated file): name the intended type from the local headers so the
    // sender hears "damaged" rather than "wrong format".
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (b.includes('word/document.xml') || b.includes('[Content_Types].xml')) return 'docx';
    if (b.includes('application/vnd.oasis.opendocument.text')) return 'odt';
    return 'zip';
  }
}

function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 64 * 1024);
  if (startsWith(sample, [0xff, 0xfe]) || startsWith(sample, [0xfe, 0xff])) return true;
  let control = 0;
  for (const c of sample) {
    if (c === 0) return false;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) control++;
  }
  return control <= sample.length / 100;
}

/** Detects the type from the bytes (magic numbers, zip contents), never from the file name. */
export function detectType(bytes: Uint8Array): DetectedType {
  if (bytes.length === 0) return 'okand';
  // %PDF- may follow some junk; pdf.js accepts the header within the first 1024 bytes.
  if (ascii(bytes, 0, 1024).includes('%PDF-')) return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return detectZip(bytes);
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    if (containsUtf16(bytes, 'EncryptedPackage')) return 'ole-krypterad';
    if (containsUtf16(bytes, 'WordDocument')) return 'doc';
    return 'okand';
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'tiff';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (startsWith(bytes, [0x78, 0x9f, 0x3e, 0x22])) return 'tnef';
  if (ascii(bytes, 0, 5) === '{\\rtf') return 'rtf';
  if (!looksLikeText(bytes)) return 'okand';
  const head = ascii(bytes, 0, 2048)
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || /<(html|body)[\s>]/.test(head)) {
    return 'html';
  }
  return 'text';
}

export const IMAGE_TYPES: ReadonlySet<string> = new Set(['png', 'jpeg', 'tiff']);
