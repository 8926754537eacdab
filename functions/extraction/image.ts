import { ExtractionAbortError } from './problems.js';
import { reportOcrProgress, startOcrPool } from './ocr.js';
import type { Deadline } from './deadline.js';
import { tidyText } from './text-decode.js';

/** Pixel cap for a scanned image (a 300 dpi A4 page is 8.7 MP); guards the OCR engine's memory. */
const MAX_IMAGE_PIXELS = 40_000_000;

/** Width and height from a PNG or JPEG header, or null when not found (TIFF is left to the engine). */
export function imageSize(bytes: Uint8Array, type: string): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type === 'png' && bytes.length >= 24) return { width: view.getUint32(16), height: view.getUint32(20) };
  if (type === 'jpeg') {
    let p = 2;
    while (p + 9 < bytes.length) {
      if (bytes[p] !== 0xff) return null;
      const marker = bytes[p + 1]!;
      const len = view.getUint16(p + 2);
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: view.getUint16(p + 5), width: view.getUint16(p + 7) };
      }
      p += 2 + len;
    }
  }
  return null;
}

export async function extractImage(bytes: Uint8Array, type: string, deadline: Deadline): Promise<string> {
  const size = imageSize(bytes, type);
  if (size && size.width * size.height > MAX_IMAGE_PIXELS) {
    throw new ExtractionAbortError('BILD_FOR_STOR', `${size.width} × ${size.height} bildpunkter`);
  }
  const pool = await startOcrPool(1, deadline);
  try {
    reportOcrProgress({ done: 0, total: 1 });
    const text = tidyText(await deadline.race(pool.recognize(bytes)));
    reportOcrProgress({ done: 1, total: 1 });
    return text;
  } catch (err) {
    if (err instanceof ExtractionAbortError) throw err;
    throw new ExtractionAbortError('OCR_MISSLYCKADES');
  } finally {
    await pool.terminate();
  }
}
