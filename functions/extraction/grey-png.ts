import { crc32, deflateSync } from 'node:zlib';

/** A decoded raster: 1 (grey), 3 (RGB) or 4 (RGBA) bytes a pixel, rows top to bottom. */
export interface Raster {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Output size for `scale` (≤ 1; never enlarges). */
export function scaledSize(width: number, height: number, scale: number): { width: number; height: number } {
  const s = Math.min(1, scale);
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

/**
 * An 8-bit greyscale PNG of `img`, shrunk by `scale` (box filter) when below 1. Transparent pixels are
 * composited over white paper. Why grey: tesseract.js reads a colour image as 32 bits a pixel into its
 * WASM heap, which never shrinks again; grey is a quarter of that, and the OCR reads the same text.
 */
export function greyPng(img: Raster, scale = 1): Uint8Array {
  const { data, width, height, channels } = img;
  if (data.length < width * height * channels) throw new RangeError('Bilddata kortare än bildens storlek');
  const out = scaledSize(width, height, scale);
  const stride = out.width + 1; // each PNG row starts with its filter type (0 = none)
  const raw = new Uint8Array(stride * out.height);

  // Luminance (ITU-R BT.601 weights, ×256) of the pixel at byte offset k, over white when transparent.
  const lum = (k: number): number => {
    if (channels === 1) return data[k]! * 256;
    const l = data[k]! * 77 + data[k + 1]! * 150 + data[k + 2]! * 29;
    if (channels === 3) return l;
    const a = data[k + 3]!;
    return (l * a + 65280 * (255 - a)) / 255;
  };

  if (out.width === width && out.height === height) {
    for (let y = 0, k = 0; y < height; y++) {
      const base = y * stride + 1;
      for (let x = 0; x < width; x++, k += channels) raw[base + x] = (lum(k) + 128) >> 8;
    }
  } else {
    // Box filter: every source pixel adds to the one output pixel it falls in.
    const column = new Uint32Array(width);
    const perColumn = new Uint32Array(out.width);
    for (let x = 0; x < width; x++) {
      const ox = Math.min(out.width - 1, Math.floor((x * out.width) / width));
      column[x] = ox;
      perColumn[ox]!++;
    }
    const sum = new Float64Array(out.width);
    let row = 0;
    let rows = 0;
    const flush = (): void => {
      const base = row * stride + 1;
      for (let ox = 0; ox < out.width; ox++) {
        raw[base + ox] = Math.min(255, Math.round(sum[ox]! / (perColumn[ox]! * rows * 256)));
      }
      sum.fill(0);
      rows = 0;
    };
    for (let y = 0, k = 0; y < height; y++) {
      const oy = Math.min(out.height - 1, Math.floor((y * out.height) / height));
      if (oy !== row) {
        flush();
        row = oy;
      }
      rows++;
      for (let x = 0; x < width; x++, k += channels) sum[column[x]!]! += lum(k);
    }
    flush();
  }

  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, out.width);
  view.setUint32(4, out.height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  // Level 1: a scan compresses well anyway, and the PNG only crosses to the OCR worker.
  const idat = deflateSync(raw, { level: 1 });
  return Buffer.concat([
    Uint8Array.from(SIGNATURE),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array()),
  ]);
}
