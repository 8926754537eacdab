import { describe, expect, it } from 'vitest';
import { unpackTnef } from './tnef.js';
import { makeDocx, makeTextPdf, makeTnef } from '../../test/fixtures/extraction/generate.js';

describe('unpackTnef (winmail.dat)', () => {
  it('unpacks the files under the long names Outlook gives them', async () => {
    const docx = await makeDocx();
    const pdf = await makeTextPdf();
    const { files, complete } = unpackTnef(
      makeTnef([
        { title: 'SLUTRA~1.DOC', content: docx, longName: 'Slutrapport Ökad hälsa i Söderhamn 2026.docx' },
        { title: 'BILAGA~1.PDF', content: pdf, longName: 'Bilaga – deltagarstatistik.pdf' },
      ]),
    );
    expect(complete).toBe(true);
    expect(files.map((f) => f.filename)).toEqual([
      'Slutrapport Ökad hälsa i Söderhamn 2026.docx',
      'Bilaga – deltagarstatistik.pdf',
    ]);
    expect(Buffer.from(files[0]!.content).equals(Buffer.from(docx))).toBe(true);
    expect(Buffer.from(files[1]!.content).equals(Buffer.from(pdf))).toBe(true);
  });

  it('takes the short title, read as Windows-1252, when there is no long name', () => {
    const { files } = unpackTnef(
      makeTnef([{ title: 'RAPPÖRT.TXT', content: Buffer.from('Insatsens namn') }]),
    );
    expect(files.map((f) => [f.filename, Buffer.from(f.content).toString()])).toEqual([
      ['RAPPÖRT.TXT', 'Insatsens namn'],
    ]);
  });

  it('keeps the files read before a stream that breaks off, and says it broke off', () => {
    const whole = makeTnef([
      { title: 'A.TXT', content: Buffer.from('första filen') },
      { title: 'B.TXT', content: Buffer.alloc(5000, 0x41) },
    ]);
    const { files, complete } = unpackTnef(whole.subarray(0, whole.length - 3000));
    expect(complete).toBe(false);
    expect(files.map((f) => f.filename)).toEqual(['A.TXT']);
  });

  it('leaves out empty files and finds nothing in a winmail.dat without files', () => {
    expect(unpackTnef(makeTnef([{ title: 'TOM.TXT', content: new Uint8Array() }])).files).toEqual([]);
    expect(unpackTnef(makeTnef())).toEqual({ files: [], complete: true });
  });

  it('finds nothing in bytes that are not TNEF, and survives lengths that point past the end', () => {
    expect(unpackTnef(Buffer.from('%PDF-1.7 inte tnef'))).toEqual({ files: [], complete: true });
    const lying = Buffer.from(makeTnef([{ title: 'A.TXT', content: Buffer.from('x') }]));
    lying.writeUInt32LE(0xfffffff0, 6 + 5); // the first attribute's length
    expect(unpackTnef(lying)).toEqual({ files: [], complete: false });
  });
});
