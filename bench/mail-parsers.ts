/** Peer comparison: postal-mime (what the ingest uses) against mailparser on the same messages. */
import { simpleParser } from 'mailparser';
import PostalMime from 'postal-mime';
import { composeMail, makeManyPartsMail } from '../test/fixtures/extraction/generate.js';
import { syntheticReport } from './lib/fixtures.js';
import { figure, repeat, type Figure } from './lib/stats.js';

export async function benchMailParsers(runs: number): Promise<Figure[]> {
  const from = 'sara.provperson@exempelby.example';
  const to = 'kontakt@finsamgavleborg.se';
  const mails: Record<string, { raw: Uint8Array; n: number }> = {
    'report mail (docx + pdf attached)': {
      raw: await composeMail({
        from,
        to,
        subject: 'Slutrapport',
        text: 'Hej! Här kommer vår slutrapport.',
        attachments: [
          { filename: 'Slutrapport.docx', content: Buffer.from(await syntheticReport('docx')) },
          { filename: 'Slutrapport.pdf', content: Buffer.from(await syntheticReport('pdf')) },
        ],
      }),
      n: 100,
    },
    '500 MIME parts': { raw: makeManyPartsMail(500), n: 10 },
    '10 MB attachment': {
      raw: await composeMail({
        from,
        to,
        subject: 'Stor',
        text: 'x',
        attachments: [{ filename: 'stor.bin', content: Buffer.alloc(10 * 1024 * 1024, 7) }],
      }),
      n: 3,
    },
  };
  const parsers: Record<string, (raw: Uint8Array) => Promise<unknown>> = {
    'postal-mime': (raw) => PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' }),
    mailparser: (raw) =>
      simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), { skipImageLinks: true }),
  };
  const out: Figure[] = [];
  for (const [label, { raw, n }] of Object.entries(mails)) {
    for (const [name, parse] of Object.entries(parsers)) {
      await parse(raw);
      const ms = await repeat(runs, async () => {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) await parse(raw);
        return (performance.now() - t0) / n;
      });
      out.push(figure('mail parsing', `${name}: ${label}`, 'ms/mail', ms));
    }
  }
  return out;
}
