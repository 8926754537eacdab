import { describe, expect, it } from 'vitest';
import { addSesReceiptHeaders } from '../../local/aws/ses-inbound.js';
import { klassa } from '../../domain/klassning/klassa.js';
import { innehallUrMail } from '../../domain/klassning/innehall.js';
import { extractMail } from './mail.js';
import { parseSesReceipt } from './ses-receipt.js';

const mail = (mailFrom: string) =>
  addSesReceiptHeaders(
    Buffer.from(
      'From: Sara Provperson <sara.provperson@exempelby.example>\r\nSubject: Ang. rapporten\r\n\r\nHej\r\n',
    ),
    {
      id: 'abc',
      mailFrom,
      rcptTo: ['kontakt@finsamgavleborg.se'],
      remoteAddress: '192.0.2.10',
      clientHostname: 'mx.exempelby.example',
    },
  );

describe('parseSesReceipt', () => {
  it('keeps the envelope sender SES wrote in Return-Path', () => {
    expect(parseSesReceipt(mail('studs+1@exempelby.example')).envelopeFrom).toBe('studs+1@exempelby.example');
  });

  it('reads the null sender <> as empty, so the mail is classed automatic and never answered', async () => {
    const raw = mail('');
    expect(parseSesReceipt(raw).envelopeFrom).toBe('');
    const m = await extractMail(raw, { pickReport: () => -1, ocr: false });
    const k = klassa({
      header: m.headers,
      from: m.from?.address ?? null,
      envelopeFrom: m.envelopeFrom,
      subject: m.subject,
      spam: false,
      innehall: innehallUrMail(m, { arendeReferens: null, svarPaVartMail: false }),
      egnaAdresser: ['kontakt@finsamgavleborg.se'],
    });
    expect(k.klass).toBe('automatisk');
    expect(k.automatik).toBe('systemavsandare');
  });

  it('leaves a mail without Return-Path with an unknown envelope sender', () => {
    expect(parseSesReceipt(Buffer.from('Subject: x\r\n\r\nHej\r\n')).envelopeFrom).toBeNull();
  });
});
