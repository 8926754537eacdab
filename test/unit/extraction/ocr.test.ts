import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../../functions/lib/extraction/index.js';
import { makeScannedPdf, renderTextImage } from '../../fixtures/extraction/generate.js';

describe('OCR of scanned reports (Swedish, offline)', () => {
  it('reads a one-page scanned PDF as pdf-ocr with Swedish characters', async () => {
    const doc = await extractDocument(await makeScannedPdf(), 'skannad.pdf');
    expect(doc.problems).toEqual([]);
    expect(doc).toMatchObject({ format: 'pdf-ocr', pages: 1, ocrPages: 1 });
    expect(doc.text).toContain('Insatsens namn');
    expect(doc.text).toContain('Samverkan i Ödmården');
    expect(doc.text).toContain('2 458 000 kr');
  });

  it('reads a phone-scan image file', async () => {
    const doc = await extractDocument(
      await renderTextImage(['Slutrapport', 'Beviljade medel för insatsen']),
      'IMG_0001.png',
    );
    expect(doc).toMatchObject({ format: 'bild-ocr', ocrPages: 1 });
    expect(doc.text).toContain('Beviljade medel för insatsen');
  });

  it('explains a scan when OCR is switched off', async () => {
    const doc = await extractDocument(await makeScannedPdf(), 'skannad.pdf', { ocr: false });
    expect(doc.problems[0]).toMatchObject({ kod: 'OCR_AVSTANGD', fil: 'skannad.pdf' });
  });

  it('refuses more scanned pages than the OCR cap', async () => {
    const doc = await extractDocument(await makeScannedPdf(), 'skannad.pdf', { limits: { maxOcrPages: 0 } });
    expect(doc.problems[0]?.kod).toBe('FOR_MANGA_SKANNADE_SIDOR');
  });

  it('refuses an image with an absurd pixel count before OCR', async () => {
    const png = new Uint8Array(33);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(png.buffer).setUint32(16, 50_000);
    new DataView(png.buffer).setUint32(20, 50_000);
    const doc = await extractDocument(png, 'jätte.png');
    expect(doc.problems[0]?.kod).toBe('BILD_FOR_STOR');
  });
});
