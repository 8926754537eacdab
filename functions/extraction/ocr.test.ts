import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { extractDocument } from './index.js';
import { startOcrPool } from './ocr.js';
import { makeScannedPdf, renderTextImage } from '../../test/fixtures/extraction/generate.js';

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

/** A one-page PDF whose only content is a scan of `lines` at `dpi`, drawn over the whole A4 page. */
async function scanAt(dpi: number, lines: string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const png = await pdf.embedPng(await renderTextImage(lines, dpi));
  pdf.addPage([595, 842]).drawImage(png, { x: 0, y: 0, width: 595, height: 842 });
  return pdf.save();
}

describe('OCR of scans at other resolutions', () => {
  it('reads a 600 dpi scan (shrunk to 300 dpi before OCR)', async () => {
    const doc = await extractDocument(
      await scanAt(600, ['Slutrapport', 'Beviljade medel för insatsen', '2 458 000 kr']),
      'fin.pdf',
    );
    expect(doc).toMatchObject({ format: 'pdf-ocr', ocrPages: 1, problems: [] });
    expect(doc.text).toContain('Beviljade medel för insatsen');
    expect(doc.text).toContain('2 458 000 kr');
  });

  it('renders the page when its image is too small to read directly', async () => {
    const doc = await extractDocument(
      await scanAt(100, ['Slutrapport', 'Utnyttjade medel', '2 301 500 kr']),
      'grov.pdf',
    );
    expect(doc).toMatchObject({ format: 'pdf-ocr', ocrPages: 1, problems: [] });
    expect(doc.text).toContain('Utnyttjade medel');
  });
});

describe('OCR at the end of the time budget', () => {
  it('terminates its workers when the deadline passes, failing the page being read at once', async () => {
    let expire: (() => void) | undefined;
    const pool = await startOcrPool(1, {
      race: (work) => work,
      onExpire: (stop) => {
        expire = stop;
        return () => undefined;
      },
    });
    const page = await renderTextImage(['Slutrapport', 'Beviljade medel för insatsen']);
    const reading = pool.recognize(page);
    expire?.();
    await expect(reading).rejects.toMatchObject({ kod: 'TIDSGRANS' });
    await expect(pool.recognize(page)).rejects.toMatchObject({ kod: 'TIDSGRANS' });
    await pool.terminate();
  });
});
