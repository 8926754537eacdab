import { describe, expect, it } from 'vitest';
import { detectType, extractDocument } from './index.js';
import {
  BILLION_LAUGHS,
  makeDoc,
  makeDocx,
  makeEncryptedPdf,
  makeJavascriptPdf,
  makeLyingZip,
  makeManyEntriesZip,
  makeOdt,
  makeTextPdf,
  makeTnef,
  makeZipBomb,
  replaceZipPart,
} from '../../test/fixtures/extraction/generate.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('detectType', () => {
  it('recognises formats from the bytes, not the name', async () => {
    expect(detectType(await makeTextPdf())).toBe('pdf');
    expect(detectType(await makeDocx())).toBe('docx');
    expect(detectType(makeOdt())).toBe('odt');
    expect(detectType(makeTnef())).toBe('tnef');
    expect(detectType(utf8('{\\rtf1\\ansi hej}'))).toBe('rtf');
    expect(detectType(utf8('<!DOCTYPE html><html><body>x</body></html>'))).toBe('html');
    expect(detectType(utf8('Slutrapport\nInsatsens namn'))).toBe('text');
    expect(detectType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
    expect(detectType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(detectType(new Uint8Array([0x49, 0x49, 0x2a, 0x00]))).toBe('tiff');
    expect(detectType(utf8('GIF89a....'))).toBe('gif');
    expect(detectType(new Uint8Array([0, 1, 2, 3, 0, 0, 7]))).toBe('okand');
    expect(detectType(new Uint8Array())).toBe('okand');
  });

  it('tells an OLE Word file from an encrypted Office package', () => {
    const ole = (stream: string): Uint8Array => {
      const head = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
      return new Uint8Array([...head, ...new Uint8Array(504), ...Buffer.from(stream, 'utf16le')]);
    };
    expect(detectType(ole('WordDocument'))).toBe('doc');
    expect(detectType(ole('EncryptedPackage'))).toBe('ole-krypterad');
  });
});

describe('extractDocument', () => {
  it('reads a .docx with table rows kept in reading order', async () => {
    const doc = await extractDocument(await makeDocx(), 'Slutrapport Öjebyn.docx');
    expect(doc.problems).toEqual([]);
    expect(doc.format).toBe('docx');
    expect(doc.text).toContain('Insatsens namn\nSamverkan i Ödmården');
    expect(doc.text).toContain(
      '| Organisations namn | Arbetsställets namn |\n| Ockelbo kommun | Jobbcentrum Väst |',
    );
    expect(doc.text!.indexOf('Uppgiftslämnare')).toBeLessThan(doc.text!.indexOf('Efter tabellen'));
  });

  it('reads a legacy Word 97–2003 .doc', async () => {
    const doc = await extractDocument(makeDoc(), 'Slutrapport Öjebyn.doc');
    expect(doc.problems).toEqual([]);
    expect(doc.format).toBe('doc');
    expect(doc.text).toContain('Insatsens namn\nSamverkan i Ödmården');
  });

  it('reads a text PDF page by page', async () => {
    const doc = await extractDocument(await makeTextPdf(undefined, 3), 'rapport.pdf');
    expect(doc).toMatchObject({ format: 'pdf', pages: 3, ocrPages: 0, problems: [] });
    expect(doc.text).toContain('Beviljade medel för insatsen\n2 458 000 kr');
  });

  it('reads an .odt, including spaces, tabs and tables', async () => {
    const doc = await extractDocument(makeOdt(), 'rapport.odt');
    expect(doc.format).toBe('odt');
    expect(doc.text).toContain('Samverkan i Ödmården');
    expect(doc.text).toContain('Två   mellanslag\tflik');
    expect(doc.text).toContain('| Datum | 2025-01-15 |');
  });

  it('reads plain text in UTF-8 and in Windows-1252', async () => {
    const utf = await extractDocument(utf8('Insatsens namn\r\nÅsa i Älvkarleby'), 'a.txt');
    expect(utf).toMatchObject({ format: 'text', text: 'Insatsens namn\nÅsa i Älvkarleby' });
    const latin = await extractDocument(new Uint8Array(Buffer.from('Måluppfyllelse', 'latin1')), 'b.txt');
    expect(latin.text).toBe('Måluppfyllelse');
  });

  it('turns an HTML file into text', async () => {
    const doc = await extractDocument(
      utf8(
        '<html><head><style>p{}</style></head><body><p>Insatsens namn</p><p>Tr&auml;ff &amp; stöd</p></body></html>',
      ),
      'r.html',
    );
    expect(doc).toMatchObject({ format: 'html', text: 'Insatsens namn\nTräff & stöd' });
  });

  it('names the file being the wrong kind and lists the accepted formats', async () => {
    const doc = await extractDocument(utf8('{\\rtf1\\ansi Slutrapport}'), 'rapport.docx');
    expect(doc.format).toBeNull();
    expect(doc.problems[0]).toMatchObject({ kod: 'OKANT_FORMAT', fil: 'rapport.docx' });
    expect(doc.problems[0]!.meddelande).toContain('RTF');
    expect(doc.problems[0]!.meddelande).toContain('Word (.docx), PDF, OpenDocument (.odt)');
  });

  it('says an empty file is empty', async () => {
    const doc = await extractDocument(new Uint8Array(), 'tom.pdf');
    expect(doc.problems.map((p) => p.kod)).toEqual(['TOM_FIL']);
  });
});

describe('extractDocument with hostile or broken input', () => {
  it('asks for an unprotected file when the PDF is encrypted', async () => {
    const doc = await extractDocument(await makeEncryptedPdf(), 'skyddad.pdf');
    expect(doc.text).toBeNull();
    expect(doc.problems).toHaveLength(1);
    expect(doc.problems[0]).toMatchObject({ kod: 'KRYPTERAD_PDF', fil: 'skyddad.pdf' });
    expect(doc.problems[0]!.meddelande).toMatch(/lösenord/);
  });

  it('says a truncated PDF is damaged', async () => {
    const full = await makeTextPdf(undefined, 2);
    const doc = await extractDocument(full.subarray(0, Math.floor(full.length / 3)), 'halv.pdf');
    // pdf.js recovers what it can from a truncated file; either it reads nothing or it says so.
    if (doc.text === null)
      expect(doc.problems.map((p) => p.kod)).toEqual(
        expect.arrayContaining([expect.stringMatching(/TRASIG_FIL|INGEN_TEXT/)]),
      );
    const garbage = await extractDocument(utf8('%PDF-1.7\n1 0 obj <<'), 'trasig.pdf');
    expect(garbage.problems[0]?.kod).toMatch(/TRASIG_FIL|INGEN_TEXT/);
    expect(garbage.problems[0]!.meddelande).toContain('trasig.pdf');
  });

  it('reads a PDF with embedded JavaScript without running it', async () => {
    const doc = await extractDocument(await makeJavascriptPdf(), 'js.pdf');
    expect(doc.format).toBe('pdf');
    expect(doc.text).toContain('Slutrapport');
  });

  it('refuses a PDF with more pages than the cap', async () => {
    const doc = await extractDocument(await makeTextPdf(['x'], 5), 'lang.pdf', {
      limits: { maxPdfPages: 4 },
    });
    expect(doc.problems[0]).toMatchObject({ kod: 'FOR_MANGA_SIDOR' });
    expect(doc.problems[0]!.meddelande).toContain('5 sidor, högst 4');
  });

  it('refuses a zip bomb before inflating it', async () => {
    const before = process.memoryUsage().rss;
    const doc = await extractDocument(makeZipBomb(20), 'bomb.docx');
    expect(doc.problems[0]).toMatchObject({ kod: 'ZIPBOMB', fil: 'bomb.docx' });
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a zip whose parts inflate beyond what the directory declares', async () => {
    const doc = await extractDocument(makeLyingZip(), 'ljuger.docx');
    expect(doc.problems[0]?.kod).toBe('ZIPBOMB');
  });

  it('refuses a container with too many zip entries', async () => {
    const doc = await extractDocument(makeManyEntriesZip(3000), 'manga.docx');
    expect(doc.problems[0]).toMatchObject({ kod: 'ZIPBOMB' });
    expect(doc.problems[0]!.meddelande).toContain('3001 delar');
  });

  it('refuses a total uncompressed size over the cap', async () => {
    const doc = await extractDocument(await makeDocx(), 'r.docx', { limits: { maxUncompressedBytes: 1000 } });
    expect(doc.problems[0]?.kod).toBe('ZIPBOMB');
  });

  it('rejects XML with a DOCTYPE (billion laughs) in a .docx', async () => {
    const docx = replaceZipPart(await makeDocx(), 'word/document.xml', BILLION_LAUGHS);
    const doc = await extractDocument(docx, 'lol.docx');
    expect(doc.problems[0]).toMatchObject({ kod: 'XML_DOCTYPE', fil: 'lol.docx' });
  });

  it('rejects a DOCTYPE hidden in UTF-16 in any part, and in .odt', async () => {
    const utf16 = new TextDecoder('latin1').decode(
      Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><x/>', 'utf16le'),
    );
    const docx = replaceZipPart(await makeDocx(), 'word/styles.xml', utf16);
    expect((await extractDocument(docx, 'a.docx')).problems[0]?.kod).toBe('XML_DOCTYPE');
    const odt = replaceZipPart(makeOdt(), 'content.xml', '<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>');
    expect((await extractDocument(odt, 'a.odt')).problems[0]?.kod).toBe('XML_DOCTYPE');
  });

  it('says a corrupt .docx is damaged', async () => {
    const docx = await makeDocx();
    const doc = await extractDocument(docx.subarray(0, docx.length - 200), 'kapad.docx');
    expect(doc.problems[0]?.kod).toBe('TRASIG_FIL');
    const flipped = docx.slice();
    flipped[200] = flipped[200]! ^ 0xff;
    expect((await extractDocument(flipped, 'bitfel.docx')).problems[0]?.kod).toBe('TRASIG_FIL');
  });

  it('asks for an unprotected file when an Office document is encrypted', async () => {
    const head = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    const enc = new Uint8Array([
      ...head,
      ...new Uint8Array(504),
      ...Buffer.from('EncryptedPackage', 'utf16le'),
    ]);
    const doc = await extractDocument(enc, 'skyddad.docx');
    expect(doc.problems[0]).toMatchObject({ kod: 'KRYPTERAT_DOKUMENT', fil: 'skyddad.docx' });
  });

  it('says a broken legacy .doc is damaged instead of crashing', async () => {
    const head = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    const doc = await extractDocument(
      new Uint8Array([...head, ...new Uint8Array(504), ...Buffer.from('WordDocument', 'utf16le')]),
      'gammal.doc',
    );
    expect(doc.problems[0]?.kod).toBe('TRASIG_FIL');
  });

  it('refuses a file over the size cap', async () => {
    const doc = await extractDocument(utf8('x'.repeat(2000)), 'stor.txt', { limits: { maxRawBytes: 1000 } });
    expect(doc.problems[0]?.kod).toBe('FOR_STOR');
  });

  it('stops at the time budget', async () => {
    const doc = await extractDocument(await makeTextPdf(undefined, 40), 'seg.pdf', {
      limits: { timeBudgetMs: 1 },
    });
    expect(doc.problems[0]).toMatchObject({ kod: 'TIDSGRANS', fil: 'seg.pdf' });
  });
});
