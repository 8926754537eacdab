import { Inflate } from 'fflate';
import type { ExtractionLimits } from './limits.js';
import { ExtractionAbortError } from './problems.js';

/**
 * A minimal zip reader that trusts nothing: it reads the central directory, enforces the entry,
 * size and ratio caps before inflating anything, and inflates with a hard output cap, so a zip bomb
 * (or an entry that lies about its size) costs at most the cap. Only what we decompress here is
 * ever handed to mammoth (re-packed), never the sender's original container.
 */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;
/** Below this size a high compression ratio is harmless (and normal for repetitive XML). */
const RATIO_FLOOR_BYTES = 1024 * 1024;

function u16(b: Uint8Array, o: number): number {
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
}
function u32(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16)) + (b[o + 3] ?? 0) * 0x1000000;
}

/** Lists the central directory; throws TRASIG_FIL when it is not a readable zip. */
export function readCentralDirectory(bytes: Uint8Array, maxEntries = Number.POSITIVE_INFINITY): ZipEntry[] {
  let eocd = -1;
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (u32(bytes, i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ExtractionAbortError('TRASIG_FIL', 'zip-arkivets innehållsförteckning saknas');
  const total = u16(bytes, eocd + 10);
  const cdOffset = u32(bytes, eocd + 16);
  if (total === 0xffff || cdOffset === 0xffffffff) {
    throw new ExtractionAbortError('TRASIG_FIL', 'zip64-arkiv stöds inte');
  }
  if (total > maxEntries) throw new ExtractionAbortError('ZIPBOMB', `${total} delar, högst ${maxEntries}`);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder('utf-8');
  let p = cdOffset;
  for (let i = 0; i < total; i++) {
    if (p + 46 > bytes.length || u32(bytes, p) !== CDH_SIG) {
      throw new ExtractionAbortError('TRASIG_FIL', 'zip-arkivets innehållsförteckning är trasig');
    }
    const nameLen = u16(bytes, p + 28);
    const extraLen = u16(bytes, p + 30);
    const commentLen = u16(bytes, p + 32);
    entries.push({
      flags: u16(bytes, p + 8),
      method: u16(bytes, p + 10),
      crc32: u32(bytes, p + 16),
      compressedSize: u32(bytes, p + 20),
      uncompressedSize: u32(bytes, p + 24),
      localHeaderOffset: u32(bytes, p + 42),
      name: decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen)),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Checks the caps against the sizes the directory declares (inflation enforces them again). */
export function checkZipLimits(
  entries: ZipEntry[],
  wanted: (e: ZipEntry) => boolean,
  limits: ExtractionLimits,
): void {
  if (entries.length > limits.maxZipEntries) {
    throw new ExtractionAbortError('ZIPBOMB', `${entries.length} delar, högst ${limits.maxZipEntries}`);
  }
  let total = 0;
  for (const e of entries) {
    if ((e.flags & 1) === 1) throw new ExtractionAbortError('KRYPTERAT_DOKUMENT');
    if (!wanted(e)) continue;
    total += e.uncompressedSize;
    if (
      e.uncompressedSize > RATIO_FLOOR_BYTES &&
      e.uncompressedSize > limits.maxCompressionRatio * Math.max(1, e.compressedSize)
    ) {
      throw new ExtractionAbortError('ZIPBOMB', `packningsgrad över ${limits.maxCompressionRatio}:1`);
    }
  }
  if (total > limits.maxUncompressedBytes) {
    throw new ExtractionAbortError(
      'ZIPBOMB',
      `över ${Math.round(limits.maxUncompressedBytes / 1048576)} MB uppackat`,
    );
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Inflates one entry, never producing more than its declared size; verifies size and CRC. */
export function readEntry(bytes: Uint8Array, e: ZipEntry): Uint8Array {
  const o = e.localHeaderOffset;
  if (o + 30 > bytes.length || u32(bytes, o) !== LFH_SIG) {
    throw new ExtractionAbortError('TRASIG_FIL', `delen ${e.name} saknas`);
  }
  const start = o + 30 + u16(bytes, o + 26) + u16(bytes, o + 28);
  const end = start + e.compressedSize;
  if (end > bytes.length) throw new ExtractionAbortError('TRASIG_FIL', 'filen är avkortad');
  const compressed = bytes.subarray(start, end);
  let out: Uint8Array;
  if (e.method === 0) {
    out = compressed;
  } else if (e.method === 8) {
    out = new Uint8Array(e.uncompressedSize);
    let written = 0;
    const inflater = new Inflate((chunk) => {
      if (written + chunk.length > out.length) {
        throw new ExtractionAbortError('ZIPBOMB', `delen ${e.name} är större än angivet`);
      }
      out.set(chunk, written);
      written += chunk.length;
    });
    try {
      const step = 64 * 1024;
      for (let i = 0; i < compressed.length; i += step) {
        inflater.push(
          compressed.subarray(i, Math.min(i + step, compressed.length)),
          i + step >= compressed.length,
        );
      }
      if (compressed.length === 0) inflater.push(new Uint8Array(0), true);
    } catch (err) {
      if (err instanceof ExtractionAbortError) throw err;
      throw new ExtractionAbortError('TRASIG_FIL', `delen ${e.name} kan inte packas upp`);
    }
    if (written !== out.length) throw new ExtractionAbortError('TRASIG_FIL', `delen ${e.name} är avkortad`);
  } else {
    throw new ExtractionAbortError('TRASIG_FIL', `okänd packningsmetod ${e.method}`);
  }
  if (out.length !== e.uncompressedSize || crc32(out) !== e.crc32) {
    throw new ExtractionAbortError('TRASIG_FIL', `delen ${e.name} har fel kontrollsumma`);
  }
  return out;
}

const XML_NAME = /\.(xml|rels)$/i;

export function isXmlPart(e: ZipEntry): boolean {
  return XML_NAME.test(e.name) || e.name === 'mimetype';
}

/** Rejects DOCTYPE/ENTITY in any XML part (XXE, billion laughs); NULs removed so UTF-16 cannot hide one. */
export function assertNoDoctype(xml: Uint8Array): void {
  const text = Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength).toString('latin1').replace(/\0/g, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new ExtractionAbortError('XML_DOCTYPE');
}

/**
 * Opens a zip container safely: checks the caps, inflates the XML parts (checking each for DOCTYPE)
 * and returns them by name; other parts (images, embedded objects) are listed but not inflated.
 */
export function openZip(
  bytes: Uint8Array,
  limits: ExtractionLimits,
): { xml: Map<string, Uint8Array>; others: string[] } {
  const entries = readCentralDirectory(bytes, limits.maxZipEntries);
  checkZipLimits(entries, isXmlPart, limits);
  const xml = new Map<string, Uint8Array>();
  const others: string[] = [];
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    if (!isXmlPart(e)) {
      others.push(e.name);
      continue;
    }
    const data = readEntry(bytes, e);
    assertNoDoctype(data);
    xml.set(e.name, data);
  }
  return { xml, others };
}
