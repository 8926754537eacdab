import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extractMail } from './index.js';
import {
  composeMail,
  makeDocx,
  makeEncryptedPdf,
  makeLongHeaderMail,
  makeManyPartsMail,
  makeTextPdf,
  makeTnef,
  makeZipBomb,
  renderTextImage,
} from '../../test/fixtures/extraction/generate.js';

/** Stand-in for the domain's scorer: the first candidate that looks like a slutrapport. */
const pickReport = (candidates: { text: string }[]): number =>
  candidates.findIndex((c) => c.text.includes('Insatsens namn'));

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const from = { name: 'Åsa Öberg', address: 'asa@ockelbo.example' };
const to = 'kontakt@finsamgavleborg.se';

/** A mail as Outlook sends it in its rich text format: a short body and the rest in winmail.dat. */
const outlookRtfMail = (tnef: Uint8Array): Promise<Uint8Array> =>
  composeMail({
    from,
    to,
    subject: 'Slutrapport',
    text: 'Se bifogad fil.',
    attachments: [
      { filename: 'winmail.dat', content: Buffer.from(tnef), contentType: 'application/ms-tnef' },
    ],
  });

describe('extractMail', () => {
  it('reads the SES receipt: topmost Received time, verdicts and envelope sender beside From', async () => {
    const raw = await composeMail({ from, to, subject: 'Slutrapport', text: 'Insatsens namn\nX' });
    const mail = await extractMail(raw, { pickReport });
    expect(mail.receivedAt).toBe('2025-03-03T09:15:02.000Z');
    expect(mail.verdicts).toEqual({ spam: 'PASS', virus: 'PASS', spf: 'pass', dkim: 'pass', dmarc: 'pass' });
    expect(mail.envelopeFrom).toBe('bounce+asa@ockelbo.example');
    expect(mail.from).toEqual(from);
    expect(mail.to).toEqual([{ address: to }]);
  });

  it('picks the Word report among Outlook HTML, an inline logo and an RFC 2231 Swedish file name', async () => {
    const docx = await makeDocx();
    const logo = await renderTextImage(['logo'], 10);
    const raw = await composeMail({
      from,
      to,
      subject: 'Slutrapport för insatsen – Ödmården',
      text: 'Hej, här kommer slutrapporten.',
      html: '<p>Hej, här kommer slutrapporten.</p><img src="cid:logo@ockelbo">',
      attachments: [
        {
          filename: 'logo.png',
          content: Buffer.from(logo),
          cid: 'logo@ockelbo',
          contentDisposition: 'inline',
        },
        { filename: 'Slutrapport Ödmården – Älvkarleby åtgärd.docx', content: Buffer.from(docx) },
      ],
    });
    const mail = await extractMail(raw, { pickReport });
    expect(mail.subject).toBe('Slutrapport för insatsen – Ödmården');
    expect(mail.attachments.map((a) => [a.filename, a.detectedType, a.inline])).toEqual([
      ['logo.png', 'png', true],
      ['Slutrapport Ödmården – Älvkarleby åtgärd.docx', 'docx', false],
    ]);
    expect(mail.attachments[1]!.sha256).toBe(sha(docx));
    expect(mail.report).toMatchObject({ source: 'bilaga', attachmentIndex: 1, format: 'docx' });
    expect(mail.report!.text).toContain('Samverkan i Ödmården');
    expect(mail.problems).toEqual([]);
  });

  it('reads a report pasted into an HTML-only body', async () => {
    const raw = await composeMail({
      from,
      to,
      subject: 'Rapport',
      html: '<div>Slutrapport</div><div>Insatsens namn</div><div>Samverkan i Ödmården</div><table><tr><td>Datum</td><td>2025-01-15</td></tr></table>',
    });
    const mail = await extractMail(raw, { pickReport });
    expect(mail.report).toMatchObject({ source: 'brodtext', format: 'epost' });
    expect(mail.report!.text).toContain('Insatsens namn\nSamverkan i Ödmården\n| Datum | 2025-01-15 |');
  });

  it('keeps every attachment as a bilaga and picks the report by content', async () => {
    const pdf = await makeTextPdf(['Budget 2024', 'Summa 2 458 000 kr']);
    const docx = await makeDocx();
    const raw = await composeMail({
      from,
      to,
      subject: 'Slutrapport med bilagor',
      text: 'Se bifogade filer.',
      attachments: [
        { filename: 'budget.pdf', content: Buffer.from(pdf) },
        { filename: 'rapport.docx', content: Buffer.from(docx) },
        { filename: 'anteckning.txt', content: 'Minnesanteckning' },
      ],
    });
    const mail = await extractMail(raw, { pickReport });
    expect(mail.attachments).toHaveLength(3);
    expect(mail.report).toMatchObject({ source: 'bilaga', attachmentIndex: 1, filename: 'rapport.docx' });
  });

  it('takes sender, date and attachments from a forwarded message and records the forwarder', async () => {
    const inner = await composeMail(
      {
        from,
        to: 'kansli@finsamgavleborg.se',
        subject: 'Slutrapport Ödmården',
        date: new Date('2025-02-20T08:00:00Z'),
        text: 'Hej! Bifogar rapporten.',
        attachments: [{ filename: 'slutrapport.docx', content: Buffer.from(await makeDocx()) }],
      },
      false,
    );
    const raw = await composeMail({
      from: { name: 'Kansliet', address: 'kansli@finsamgavleborg.se' },
      to,
      subject: 'VB: Slutrapport Ödmården',
      text: 'Vidarebefordrar.',
      attachments: [
        { filename: 'Slutrapport.eml', content: Buffer.from(inner), contentType: 'message/rfc822' },
      ],
    });
    const mail = await extractMail(raw, { pickReport });
    expect(mail.from).toEqual(from);
    expect(mail.forwardedBy).toEqual({ name: 'Kansliet', address: 'kansli@finsamgavleborg.se' });
    expect(mail.date).toBe('2025-02-20T08:00:00.000Z');
    expect(mail.subject).toBe('Slutrapport Ödmården');
    expect(mail.attachments.map((a) => a.detectedType)).toEqual(['epost', 'docx']);
    expect(mail.report).toMatchObject({ source: 'bilaga', filename: 'slutrapport.docx' });
  });

  it('recognises a forward written into the body (Outlook, Swedish)', async () => {
    const raw = await composeMail({
      from: { name: 'Kansliet', address: 'kansli@finsamgavleborg.se' },
      to,
      subject: 'VB: rapport',
      text: 'FYI\n\nFrån: Åsa Öberg <asa@ockelbo.example>\nSkickat: den 20 februari 2025 09:00\nÄmne: rapport\n\nInsatsens namn\nSamverkan',
    });
    const mail = await extractMail(raw, { pickReport });
    expect(mail.from).toEqual({ name: 'Åsa Öberg', address: 'asa@ockelbo.example' });
    expect(mail.forwardedBy?.address).toBe('kansli@finsamgavleborg.se');
  });

  it('answers "se bifogad fil" without an attachment with the accepted formats', async () => {
    const raw = await composeMail({ from, to, subject: 'Slutrapport', text: 'Hej, se bifogad fil.' });
    const mail = await extractMail(raw, { pickReport });
    expect(mail.report).toBeNull();
    expect(mail.problems.map((p) => p.kod)).toEqual(['BILAGA_SAKNAS']);
    expect(mail.problems[0]!.meddelande).toContain('Word (.docx), PDF');
  });

  it('recognises a winmail.dat with no files in it, keeps it and says why it cannot be read', async () => {
    const tnef = makeTnef();
    const raw = await outlookRtfMail(tnef);
    const mail = await extractMail(raw, { pickReport });
    expect(mail.attachments[0]).toMatchObject({
      filename: 'winmail.dat',
      detectedType: 'tnef',
      sha256: sha(tnef),
    });
    expect(mail.problems.map((p) => p.kod)).toEqual(['WINMAIL_DAT']);
    expect(mail.problems[0]!.meddelande).toMatch(/Outlook/);
  });

  it('reads the report out of a winmail.dat and keeps both the container and the file', async () => {
    const docx = await makeDocx();
    const tnef = makeTnef([{ title: 'SLUTRA~1.DOC', content: docx, longName: 'Slutrapport Ockelbo.docx' }]);
    const raw = await outlookRtfMail(tnef);
    const mail = await extractMail(raw, { pickReport });
    expect(mail.attachments.map((a) => [a.filename, a.detectedType])).toEqual([
      ['winmail.dat', 'tnef'],
      ['Slutrapport Ockelbo.docx', 'docx'],
    ]);
    expect(mail.attachments[1]!.sha256).toBe(sha(docx));
    expect(mail.report).toMatchObject({
      source: 'bilaga',
      attachmentIndex: 1,
      filename: 'Slutrapport Ockelbo.docx',
    });
    expect(mail.problems).toEqual([]);
  });

  it('keeps hostile attachments and explains each when no report could be read', async () => {
    const enc = await makeEncryptedPdf();
    const bomb = makeZipBomb(20);
    const raw = await composeMail({
      from,
      to,
      subject: 'Slutrapport',
      text: 'Bifogat.',
      attachments: [
        { filename: 'rapport.pdf', content: Buffer.from(enc) },
        { filename: 'rapport.docx', content: Buffer.from(bomb) },
      ],
    });
    const mail = await extractMail(raw, { pickReport });
    expect(mail.attachments.map((a) => a.sha256)).toEqual([sha(enc), sha(bomb)]);
    expect(mail.problems.map((p) => [p.kod, p.fil])).toEqual([
      ['KRYPTERAD_PDF', 'rapport.pdf'],
      ['ZIPBOMB', 'rapport.docx'],
    ]);
  });

  it('refuses a message with 5 000 MIME parts but keeps its headers', async () => {
    const mail = await extractMail(makeManyPartsMail(5000), { pickReport });
    expect(mail.problems.map((p) => p.kod)).toEqual(['FOR_MANGA_DELAR']);
    expect(mail.problems[0]!.meddelande).toContain('5001 delar');
    expect(mail.from?.address).toBe('a@b.example');
    expect(mail.receivedAt).toBe('2025-03-03T09:15:02.000Z');
  });

  it('reads a message with a 1 MB header line safely', async () => {
    const mail = await extractMail(makeLongHeaderMail(), { pickReport });
    expect(mail.subject!.length).toBeLessThanOrEqual(998);
    expect(mail.from?.address).toBe('asa@ockelbo.example');
    expect(mail.problems.map((p) => p.kod)).toEqual(['BILAGA_SAKNAS']);
  });

  it('refuses headers over the cap', async () => {
    const mail = await extractMail(makeLongHeaderMail(), {
      pickReport,
      limits: { maxHeaderBytes: 64 * 1024 },
    });
    expect(mail.problems.map((p) => p.kod)).toEqual(['FOR_STORT_HUVUD']);
  });

  it('refuses a message over the size cap', async () => {
    const raw = await composeMail({ from, to, subject: 'Stor', text: 'x'.repeat(5000) });
    const mail = await extractMail(raw, { pickReport, limits: { maxRawBytes: 1000 } });
    expect(mail.problems.map((p) => p.kod)).toEqual(['FOR_STOR']);
    expect(mail.subject).toBe('Stor');
  });

  it('refuses to read more attachments than the cap, but keeps them all', async () => {
    const attachments = Array.from({ length: 4 }, (_, i) => ({ filename: `f${i}.txt`, content: `fil ${i}` }));
    const raw = await composeMail({ from, to, subject: 'Många', text: 'x', attachments });
    const mail = await extractMail(raw, { pickReport, limits: { maxAttachments: 3 } });
    expect(mail.attachments).toHaveLength(4);
    expect(mail.problems.map((p) => p.kod)).toEqual(['FOR_MANGA_BILAGOR']);
  });

  it('says a broken message is broken instead of throwing', async () => {
    const mail = await extractMail(new Uint8Array([0, 1, 2, 0xff, 0xfe]), { pickReport });
    expect(mail.problems.length).toBeGreaterThan(0);
    expect(mail.report).toBeNull();
  });
});
