import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractMail } from './mail.js';
import { pickReport } from './report-extractor.js';
import { klassa } from '../../domain/klassning/klassa.js';
import { innehallUrMail } from '../../domain/klassning/innehall.js';
import type { Klass, Automatik } from '../../domain/klassning/types.js';

const dir = path.join(import.meta.dirname, '../../test/fixtures/mail');
const EGNA = ['kontakt@finsamgavleborg.se'];

async function las(fil: string) {
  const mail = await extractMail(readFileSync(path.join(dir, fil)), { pickReport, ocr: false });
  const klassning = klassa({
    header: mail.headers,
    from: mail.from?.address ?? null,
    envelopeFrom: mail.envelopeFrom,
    subject: mail.subject,
    spam: false,
    innehall: innehallUrMail(mail, { arendeReferens: null, svarPaVartMail: false }),
    egnaAdresser: EGNA,
  });
  return { mail, klassning };
}

const FALL: [string, Klass, Automatik?][] = [
  ['fraga.eml', 'allman-handling'],
  ['personnummer.eml', 'allman-handling'],
  ['atta-bitars-amne.eml', 'allman-handling'],
  ['autosvar.eml', 'automatisk', 'autosvar'],
  ['autosvar-utan-rubrik.eml', 'automatisk', 'autosvar'],
  ['studs.eml', 'automatisk', 'studs'],
  ['laskvitto.eml', 'automatisk', 'laskvitto'],
  ['egen-adress.eml', 'automatisk', 'egen-adress'],
  ['nyhetsbrev.eml', 'ringa-betydelse'],
  ['reklam.eml', 'ringa-betydelse'],
  ['bilaga-saknas.eml', 'slutrapport'],
  ['bidi-filnamn.eml', 'slutrapport'],
];

describe('classifying the synthetic test mails', () => {
  it.each(FALL)('%s is %s', async (fil, klass, automatik) => {
    const { klassning } = await las(fil);
    expect(klassning.klass).toBe(klass);
    if (automatik) expect(klassning.automatik).toBe(automatik);
    expect(klassning.orsak.length).toBeGreaterThan(10);
  });

  it('finds the message id a bounce returns, so it can be matched to the mail we sent', async () => {
    const { mail } = await las('studs.eml');
    expect(mail.headers.reportType).toBe('delivery-status');
    expect(mail.headers.reportedMessageIds).toEqual(['0100018f-kvittens-1@email.amazonses.com']);
    // The returned message is ours, not a forward: the bounce's sender stays MAILER-DAEMON.
    expect(mail.forwardedBy).toBeNull();
    expect(mail.headers.outerFrom).toBe('mailer-daemon@mx.kommun.example');
  });

  it('finds the message id a read receipt reports on', async () => {
    const { mail } = await las('laskvitto.eml');
    expect(mail.headers.reportedMessageIds).toEqual(['0100018f-kvittens-1@email.amazonses.com']);
  });

  it('reads a raw 8-bit subject as windows-1252', async () => {
    const { mail } = await las('atta-bitars-amne.eml');
    expect(mail.subject).toBe('Fråga om årsmötet');
  });

  it('removes bidirectional overrides from file names and subjects', async () => {
    const { mail } = await las('bidi-filnamn.eml');
    expect(mail.attachments[0]?.filename).toBe('Slutrapportxcod.exe');
    expect(mail.subject).toBe('Rapport igen');
  });

  it('tells a mail without its announced attachment only that the attachment is missing', async () => {
    const { mail } = await las('bilaga-saknas.eml');
    expect(mail.problems.map((p) => p.kod)).toEqual(['BILAGA_SAKNAS']);
  });

  it('tells an unreadable file its own cause and not also that no report was found', async () => {
    const { mail } = await las('bidi-filnamn.eml');
    expect(mail.problems.map((p) => p.kod)).toHaveLength(1);
    expect(mail.problems[0]?.kod).not.toBe('INGEN_RAPPORT');
  });
});
