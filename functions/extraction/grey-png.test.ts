import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { greyPng, scaledSize } from './grey-png.js';

/** Width, height, colour type and the unfiltered pixel rows of a PNG written by greyPng. */
function readPng(png: Uint8Array): { width: number; height: number; colourType: number; rows: number[][] } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const colourType = png[25]!;
  const idatLength = view.getUint32(33);
  expect(Buffer.from(png.subarray(37, 41)).toString('latin1')).toBe('IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  const rows: number[][] = [];
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width + 1)]).toBe(0);
    rows.push([...raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1))]);
  }
  return { width, height, colourType, rows };
}

describe('greyPng (the image handed to OCR)', () => {
  it('writes an 8-bit greyscale PNG of an RGB image with luminance weights', () => {
    // White, black, pure red, pure green.
    const rgb = Uint8Array.from([255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0]);
    const png = readPng(greyPng({ data: rgb, width: 2, height: 2, channels: 3 }));
    expect(png).toMatchObject({ width: 2, height: 2, colourType: 0 });
    expect(png.rows).toEqual([
      [255, 0],
      [77, 149],
    ]);
  });

  it('puts transparent pixels on white paper', () => {
    const rgba = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128]);
    expect(readPng(greyPng({ data: rgba, width: 3, height: 1, channels: 4 })).rows).toEqual([[255, 0, 127]]);
  });

  it('shrinks by averaging the pixels each output pixel covers', () => {
    // 4 × 2 grey: left 2 × 2 block black and white stripes, right block all 200.
    const grey = Uint8Array.from([0, 255, 200, 200, 0, 255, 200, 200]);
    const png = readPng(greyPng({ data: grey, width: 4, height: 2, channels: 1 }, 0.5));
    expect(png).toMatchObject({ width: 2, height: 1 });
    expect(png.rows).toEqual([[128, 200]]);
  });

  it('never enlarges', () => {
    expect(scaledSize(2480, 3508, 1.5)).toEqual({ width: 2480, height: 3508 });
    expect(scaledSize(4960, 7016, 0.5)).toEqual({ width: 2480, height: 3508 });
  });

  it('refuses pixel data shorter than the image', () => {
    expect(() => greyPng({ data: new Uint8Array(5), width: 2, height: 2, channels: 3 })).toThrow(RangeError);
  });
});
