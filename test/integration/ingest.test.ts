import { mkdtempSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalStack, type LocalStack } from '../../local/aws/stack.js';
import { runDiariumCli } from '../../local/cli/diarium/main.js';
import {
  syntheticReportDocx,
  syntheticReportLines,
  syntheticReportText,
} from '../support/synthetic-report.js';
import { makeDocumentClient } from '../../functions/adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../../functions/adapters/dynamo-diarium/repository.js';
import type { Handling } from '../../domain/diarium/types.js';
import { composeMail, outbox, sendMail, sendRaw, waitFor, waitForOutcome } from '../support/local-helpers.js';
import {
  makeDoc,
  makeEncryptedPdf,
  makeJavascriptPdf,
  makeLongHeaderMail,
  makeManyPartsMail,
  makeScannedPdf,
  makeTnef,
  makeZipBomb,
} from '../fixtures/extraction/generate.js';

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

let stack: LocalStack;
let repo: DynamoDiariumRepository;
let s3: S3Client;

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'rapportflode-ingest-')),
    ports: { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
    log: () => undefined,
  });
  repo = new DynamoDiariumRepository(makeDocumentClient(stack.clientConfig('DYNAMODB')), {
    tableName: stack.table,
  });
  s3 = new S3Client({
    endpoint: stack.urls.s3,
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
});

afterAll(async () => {
  s3.destroy();
  await stack.stop();
});

/** The insatsnamn the diarium kept from the report, when the handling holds a slutrapport. */
const insatsnamn = (h: Handling) =>
  h.rapport.typ === 'slutrapport' ? h.rapport.slutrapport.insatsnamn : null;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function objectBytes(key: string): Promise<Uint8Array> {
  const r = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
  return r.Body!.transformToByteArray();
}

async function mailTo(address: string, subjectPart: string) {
  return waitFor(async () =>
    (await outbox(stack)).find((m) => m.destination.to.includes(address) && m.subject.includes(subjectPart)),
  );
}

describe('the ingest path on the local stack', () => {
  it('registers an encrypted PDF as unreadable, keeps every byte and asks for an unprotected file', async () => {
    const pdf = await makeEncryptedPdf();
    const from = 'krypterad@kommun.example';
    const key = await sendMail(stack, {
      from,
      attachments: [{ filename: 'Slutrapport låst.pdf', content: Buffer.from(pdf) }],
    });
    const outcome = await waitForOutcome(stack, key);
    expect(outcome.status).toBe('olasbar');
    const h = (await repo.getHandling(outcome.diarienummer))!;
    expect(h.flaggor).toContain('problem:KRYPTERAD_PDF');
    const stored = h.filer.find((f) => f.filnamn === 'Slutrapport låst.pdf')!;
    expect(stored.sha256).toBe(sha(pdf));
    expect(sha(await objectBytes(stored.nyckel))).toBe(sha(pdf));
    // The raw mail is filed with the handling (and taken out of the inbox once answered).
    const eml = h.filer.find((f) => f.filnamn === 'meddelande.eml')!;
    expect((await objectBytes(eml.nyckel)).byteLength).toBeGreaterThan(pdf.byteLength);
    const mail = await mailTo(from, 'Komplettering behövs');
    expect(mail.body.text).toContain(outcome.diarienummer);
    expect(mail.body.text).toMatch(/lösenord|skydd/i);
    expect(mail.body.text).toContain(stored.sha256);
  });

  it('refuses a zip bomb within the limits and still registers the mail', async () => {
    const bomb = makeZipBomb(50);
    const from = 'bomb@kommun.example';
    const key = await sendMail(stack, {
      from,
      attachments: [{ filename: 'rapport.docx', content: Buffer.from(bomb) }],
    });
    const outcome = await waitForOutcome(stack, key);
    expect(outcome.status).toBe('olasbar');
    expect((await repo.getHandling(outcome.diarienummer))!.flaggor).toContain('problem:ZIPBOMB');
    await mailTo(from, 'Komplettering behövs');
  });

  it('answers "se bifogad fil" without an attachment with what to send', async () => {
    const from = 'glomde@kommun.example';
    const key = await sendMail(stack, { from, text: 'Hej, se bifogad fil. Mvh Glömde Bifoga' });
    const outcome = await waitForOutcome(stack, key);
    expect(outcome.status).toBe('olasbar');
    const mail = await mailTo(from, 'Komplettering behövs');
    expect(mail.body.text).toMatch(/Word|PDF/);
  });

  it('reads a report pasted into the mail body', async () => {
    const from = 'inklistrad@kommun.example';
    const key = await sendMail(stack, {
      from,
      text: syntheticReportText({ insatsnamn: 'Inklistrad insats Bollnäs', organisation: 'Bollnäs kommun' }),
    });
    const outcome = await waitForOutcome(stack, key);
    expect(outcome.status).toBe('komplett');
    const h = (await repo.getHandling(outcome.diarienummer))!;
    expect(insatsnamn(h)).toBe('Inklistrad insats Bollnäs');
  });

  it('quarantines a mail SES marks as infected: stored apart, never answered, the kansli alerted', async () => {
    const from = 'virus@kommun.example';
    const key = await sendMail(stack, {
      from,
      attachments: [{ filename: 'eicar.txt', content: EICAR, contentType: 'text/plain' }],
      text: EICAR,
    });
    const outcome = await waitForOutcome(stack, key);
    expect(outcome.status).toBe('karantan');
    const h = (await repo.getHandling(outcome.diarienummer))!;
    expect(
      h.filer.filter((f) => f.filnamn !== 'meddelande.eml').every((f) => f.nyckel.startsWith('karantan/')),
    ).toBe(true);
    await mailTo(stack.env['KANSLI_EMAIL']!, 'Karantän');
    expect((await outbox(stack)).some((m) => m.destination.to.includes(from))).toBe(false);
  });

  it('holds a spam-flagged report for the kansli instead of starting a granskning', async () => {
    const from = 'spam@kommun.example';
    const docx = await syntheticReportDocx({
      insatsnamn: 'Flaggad insats Ljusdal',
      organisation: 'Ljusdals kommun',
    });
    const key = await sendMail(stack, {
      from,
      attachments: [{ filename: 'r.docx', content: docx }],
      headers: { 'X-Rapportflode-Spam': 'FAIL' },
    });
    const outcome = await waitForOutcome(stack, key);
    const h = (await repo.getHandling(outcome.diarienummer))!;
    expect(h.flaggor).toContain('spam');
    expect(h.granskning).toBe('vantar-pa-kansliet');
    // No automatic answer to a spam-flagged sender (backscatter): the kansli is told instead.
    expect(outcome.kvittens).toBe('kvarhallen');
    await mailTo(stack.env['KANSLI_EMAIL']!, 'Kvarhållet');
    expect((await outbox(stack)).some((m) => m.destination.to.includes(from))).toBe(false);
    expect(
      (await outbox(stack)).some(
        (m) => m.subject.includes(outcome.diarienummer) && m.subject.startsWith('Granskning'),
      ),
    ).toBe(false);
  });

  it('registers the same mail delivered twice once, with one kvittens', async () => {
    const from = 'dubbel@kommun.example';
    const raw = await composeMail({
      from,
      messageId: '<dubbel-1@kommun.example>',
      text: syntheticReportText({ insatsnamn: 'Dubbel insats Hofors', organisation: 'Hofors kommun' }),
    });
    const first = await waitForOutcome(stack, await sendRaw(stack, raw, from));
    const second = await waitForOutcome(stack, await sendRaw(stack, raw, from));
    expect(second.diarienummer).toBe(first.diarienummer);
    await mailTo(from, 'Kvittens');
    await new Promise((r) => setTimeout(r, 300));
    expect((await outbox(stack)).filter((m) => m.destination.to.includes(from)).length).toBe(1);
  });

  it('registers a file the kansli drops in the bucket, with the S3 event time as arrival', async () => {
    const docx = await syntheticReportDocx({
      insatsnamn: 'Uppladdad insats Nordanstig',
      organisation: 'Nordanstigs kommun',
    });
    const key = 'uppladdat/Slutrapport Nordanstig.docx';
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: docx }));
    const outcome = await waitForOutcome(stack, key);
    const h = (await repo.getHandling(outcome.diarienummer))!;
    expect(h.kalla).toBe('uppladdning');
    expect(h.filer[0]?.sha256).toBe(sha(docx));
    await mailTo(stack.env['KANSLI_EMAIL']!, outcome.diarienummer);
  });

  it('files a reply quoting the diarienummer in the same ärende', async () => {
    const from = 'svar@kommun.example';
    const first = await waitForOutcome(
      stack,
      await sendMail(stack, {
        from,
        text: syntheticReportText({
          insatsnamn: 'Svarsinsats Hudiksvall',
          organisation: 'Hudiksvalls kommun',
          utanAvsnitt8: true,
        }),
      }),
    );
    expect(first.status).toBe('ofullstandig');
    const arende = first.diarienummer.replace(/\.\d+$/, '');
    const reply = await waitForOutcome(
      stack,
      await sendMail(stack, {
        from,
        subject: `SV: Komplettering behövs – ${arende.replace('-', ' – ')}`,
        text: syntheticReportText({
          insatsnamn: 'Svarsinsats Hudiksvall',
          organisation: 'Hudiksvalls kommun',
        }),
      }),
    );
    // .2 is the komplettering request itself, kept as an expedierad handling (issue 19).
    expect((await repo.getHandling(`${arende}.2`))?.flaggor).toEqual(['expedierad']);
    expect(reply.diarienummer).toBe(`${arende}.3`);
    expect(reply.status).toBe('komplett');
  });

  it('refuses a mail of 5 000 MIME parts but registers it', async () => {
    const from = 'delar@kommun.example';
    const key = await sendRaw(stack, Buffer.from(makeManyPartsMail(5000)), from);
    const outcome = await waitForOutcome(stack, key);
    expect(outcome.status).toBe('olasbar');
    expect((await repo.getHandling(outcome.diarienummer))!.flaggor).toContain('problem:FOR_MANGA_DELAR');
  });

  it('reads a scanned PDF with Swedish OCR', async () => {
    const pdf = await makeScannedPdf();
    const from = 'skannad@kommun.example';
    const key = await sendMail(stack, {
      from,
      attachments: [{ filename: 'skannad.pdf', content: Buffer.from(pdf) }],
    });
    const outcome = await waitForOutcome(stack, key, 120_000);
    const h = (await repo.getHandling(outcome.diarienummer))!;
    expect(insatsnamn(h)).toBeTruthy();
    // Marked as read by OCR, so the review page and the diarium say a machine read it.
    expect(h.filer.find((f) => f.filnamn === 'skannad.pdf')?.typ).toBe('pdf-ocr');
  });
  it('reads a mail with a 1 MB header line safely and answers it', async () => {
    const from = 'asa@ockelbo.example';
    const key = await sendRaw(stack, Buffer.from(makeLongHeaderMail()), from);
    const outcome = await waitForOutcome(stack, key);
    expect(outcome.status).toBe('olasbar');
    await mailTo(from, 'Komplettering behövs');
  });

  it('reads a PDF with embedded JavaScript without running it', async () => {
    const from = 'js@kommun.example';
    const pdf = await makeJavascriptPdf();
    const key = await sendMail(stack, {
      from,
      attachments: [{ filename: 'rapport.pdf', content: Buffer.from(pdf) }],
    });
    const outcome = await waitForOutcome(stack, key);
    const h = (await repo.getHandling(outcome.diarienummer))!;
    expect(insatsnamn(h)).toBeTruthy();
    expect(h.filer.find((f) => f.filnamn === 'rapport.pdf')?.sha256).toBe(sha(pdf));
  });

  it('says so when a Word file is truncated', async () => {
    const from = 'trasig@kommun.example';
    const docx = await syntheticReportDocx();
    const key = await sendMail(stack, {
      from,
      attachments: [{ filename: 'rapport.docx', content: docx.subarray(0, 2000) }],
    });
    const outcome = await waitForOutcome(stack, key);
    expect(outcome.status).toBe('olasbar');
    expect((await repo.getHandling(outcome.diarienummer))!.flaggor).toContain('problem:TRASIG_FIL');
    expect((await mailTo(from, 'Komplettering behövs')).body.text).toMatch(/skadad/);
  });

  it('lists the accepted formats when a file of the wrong kind arrives', async () => {
    const from = 'fel-format@kommun.example';
    const key = await sendMail(stack, {
      from,
      attachments: [
        { filename: 'rapport.docx', content: Buffer.from('MZ\x90\x00 inte ett dokument'.repeat(40)) },
      ],
    });
    const outcome = await waitForOutcome(stack, key);
    expect(outcome.status).toBe('olasbar');
    expect((await mailTo(from, 'Komplettering behövs')).body.text).toMatch(/Word \(\.docx\).*PDF/s);
  });

  it('recognises a winmail.dat with nothing in it and asks for the report as a normal attachment', async () => {
    const from = 'outlook@kommun.example';
    const key = await sendMail(stack, {
      from,
      attachments: [{ filename: 'winmail.dat', content: Buffer.from(makeTnef()) }],
    });
    const outcome = await waitForOutcome(stack, key);
    expect((await repo.getHandling(outcome.diarienummer))!.flaggor).toContain('problem:WINMAIL_DAT');
  });

  it('registers a slutrapport written in legacy Word (.doc)', async () => {
    const from = 'gammal-word@kommun.example';
    const doc = makeDoc(
      syntheticReportLines({ insatsnamn: 'Doc-insats Hudiksvall', organisation: 'Hudiksvalls kommun' }),
    );
    const key = await sendMail(stack, {
      from,
      attachments: [{ filename: 'Slutrapport Hudiksvall.doc', content: Buffer.from(doc) }],
    });
    const outcome = await waitForOutcome(stack, key);
    expect(outcome.status).toBe('komplett');
    const h = (await repo.getHandling(outcome.diarienummer))!;
    expect(insatsnamn(h)).toBe('Doc-insats Hudiksvall');
    expect(h.filer.find((f) => f.filnamn === 'Slutrapport Hudiksvall.doc')?.typ).toBe('doc');
    await mailTo(from, 'Kvittens');

    // The kansli fetches the files from the local stack's bucket with the diarium CLI.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rapportflode-filer-'));
    const out: string[] = [];
    const cliIo = {
      out: (t: string) => out.push(t),
      err: (t: string) => out.push(t),
      env: {},
      clock: () => new Date(),
    };
    const flags = [
      '--endpoint',
      stack.urls.dynamodb,
      '--table',
      stack.table,
      '--s3',
      stack.urls.s3,
      '--bucket',
      stack.bucket,
    ];
    expect(await runDiariumCli(['filer', outcome.diarienummer, '--till', dir, ...flags], cliIo)).toBe(0);
    const hamtad = readFileSync(path.join(dir, `${outcome.diarienummer} Slutrapport Hudiksvall.doc`));
    expect(hamtad.equals(Buffer.from(doc))).toBe(true);
  });

  it('registers a report sent inside Outlook’s winmail.dat and files both the container and the report', async () => {
    const from = 'rtf@kommun.example';
    const docx = await syntheticReportDocx({
      insatsnamn: 'Winmail-insats Sandviken',
      organisation: 'Sandvikens kommun',
    });
    const key = await sendMail(stack, {
      from,
      attachments: [
        {
          filename: 'winmail.dat',
          content: Buffer.from(
            makeTnef([{ title: 'SLUTRA~1.DOC', content: docx, longName: 'Slutrapport Sandviken.docx' }]),
          ),
          contentType: 'application/ms-tnef',
        },
      ],
    });
    const outcome = await waitForOutcome(stack, key);
    expect(outcome.status).toBe('komplett');
    const h = (await repo.getHandling(outcome.diarienummer))!;
    expect(insatsnamn(h)).toBe('Winmail-insats Sandviken');
    expect(h.filer.map((f) => f.filnamn)).toEqual(
      expect.arrayContaining(['winmail.dat', 'Slutrapport Sandviken.docx']),
    );
    expect(h.filer.find((f) => f.filnamn === 'Slutrapport Sandviken.docx')?.sha256).toBe(sha(docx));
    await mailTo(from, 'Kvittens');
  });

  it('takes the sender of a forwarded report from the inner message and records the forwarding', async () => {
    const inner = await composeMail({
      from: 'Berit Inre <berit@ljusdal.example>',
      attachments: [
        {
          filename: 'Slutrapport Ljusdal.docx',
          content: await syntheticReportDocx({
            insatsnamn: 'Vidare Ljusdal',
            organisation: 'Ljusdals kommun',
          }),
        },
      ],
    });
    const from = 'kansli@finsamgavleborg.se';
    const key = await sendMail(stack, {
      from,
      subject: 'VB: Slutrapport',
      attachments: [{ filename: 'Slutrapport.eml', content: inner, contentType: 'message/rfc822' }],
    });
    const outcome = await waitForOutcome(stack, key);
    const h = (await repo.getHandling(outcome.diarienummer))!;
    expect(h.avsandare.epost).toBe('berit@ljusdal.example');
    expect(h.flaggor).toContain('vidarebefordrad');
    await mailTo('berit@ljusdal.example', 'Kvittens');
  });
});
