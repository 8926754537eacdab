import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { IncomingObject } from '../../domain/ingest/process-incoming.js';
import { reportExtractor } from '../../functions/extraction/report-extractor.js';
import { rawMailKey } from '../../events/storage-layout.js';
import { syntheticReportText, type SyntheticReportOptions } from '../support/synthetic-report.js';
import { fakeIngest, startDiariumDb, type DiariumDb, ingestNow } from './diarium-support.js';

/**
 * What production sends the ingest, on DynamoDB Local with the real repository and the real mail extractor:
 * replies to our own mail, keys longer than DynamoDB takes, and SES's spam and virus verdicts.
 */
let db: DiariumDb;

beforeAll(async () => {
  db = await startDiariumDb();
});

afterAll(async () => {
  await db.stop();
});

const KANSLI = 'kansli@finsamgavleborg.example';

interface RawSpec {
  from: string;
  subject: string;
  messageId: string;
  body: string;
  spam?: 'PASS' | 'FAIL';
  virus?: 'PASS' | 'FAIL';
}

/** A message as SES's S3 action stores it: its receipt headers (with the verdicts) in front of the sender's. */
function sesRaw(m: RawSpec): Buffer {
  const domain = m.from.split('@')[1] ?? '';
  const headers = [
    `Return-Path: <${m.from}>`,
    `Received: from mail.${domain} (mail.${domain} [192.0.2.10])`,
    ` by inbound-smtp.eu-west-1.amazonaws.com with SMTP id ${createHash('sha1').update(m.messageId).digest('hex')}`,
    ' for kontakt@finsamgavleborg.se;',
    ' Mon, 02 Feb 2026 09:00:00 +0000',
    `X-SES-Spam-Verdict: ${m.spam ?? 'PASS'}`,
    `X-SES-Virus-Verdict: ${m.virus ?? 'PASS'}`,
    `Received-SPF: pass (spfCheck: domain of ${domain} designates 192.0.2.10 as permitted sender) client-ip=192.0.2.10; envelope-from=${m.from};`,
    `Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=${m.from}; dkim=pass header.i=@${domain}; dmarc=pass header.from=${domain};`,
    `From: Sara Provperson <${m.from}>`,
    'To: kontakt@finsamgavleborg.se',
    `Subject: ${m.subject}`,
    `Message-ID: <${m.messageId}>`,
    'Date: Mon, 02 Feb 2026 10:00:00 +0100',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${m.body.replace(/\n/g, '\r\n')}\r\n`, 'utf8');
}

async function setup() {
  const table = await db.newTable();
  const repo = db.repo(table);
  const ingest = fakeIngest(repo);
  const deps = { ...ingest.deps, extractor: reportExtractor };
  deps.config = { ...deps.config, kansliEmail: KANSLI };
  /** Stores the raw mail in the inbound bucket and runs the ingest on it, as its S3 event would. */
  const receive = (m: RawSpec) => {
    const raw = sesRaw(m);
    const key = rawMailKey(createHash('sha1').update(raw).digest('hex'));
    ingest.objects.set(key, raw);
    const obj: IncomingObject = {
      kalla: 'epost',
      bucket: 'rapportflode-inbound',
      key,
      versionId: null,
      eventTime: '2026-02-02T09:00:00Z',
    };
    return ingestNow(deps, obj);
  };
  return { repo, receive, sent: ingest.sent };
}

let n = 0;
const report = (o: SyntheticReportOptions = {}): RawSpec => ({
  from: 'sara.provperson@exempelby.example',
  subject: 'Slutrapport',
  messageId: `prod-${++n}@exempelby.example`,
  body: `Hej! Här kommer vår slutrapport.\n\n${syntheticReportText({ insatsnamn: `Insats ${n}`, ...o })}`,
});

describe('a reply to our mail', () => {
  it('lands in the ärende of the kvittens it answers, from any address and without a report', async () => {
    const { receive, sent, repo } = await setup();
    const first = await receive(report({ organisation: 'Exempelby kommun' }));
    expect(first.kvittens).toBe('skickad');
    const kvittens = sent.find((m) => m.to.includes('sara.provperson@exempelby.example'))!;
    expect(kvittens.subject).toContain(`[Dnr ${first.handling.arende}]`);
    // Another ärende quoted first in the subject must not win over our marking.
    const other = await receive(report({ organisation: 'Annanby kommun' }));
    const reply = await receive({
      from: 'kollega@exempelby.example',
      subject: `SV: ${other.handling.diarienummer} och ${kvittens.subject}`,
      messageId: `svar-${n}@exempelby.example`,
      body: 'Hej! Här är en fråga om rapporten.\n\n> Tack för er slutrapport.',
    });
    expect(reply.handling.arende).toBe(first.handling.arende);
    expect(reply.handling.diarienummer).toBe(`${first.handling.arende}.2`);
    expect((await repo.getArende(first.handling.arende))?.antalHandlingar).toBe(2);
  });
});

describe('values longer than a DynamoDB key takes', () => {
  it('registers a mail with a 3 000-character Message-ID and sends its kvittens', async () => {
    const { receive, sent } = await setup();
    const messageId = `${'a'.repeat(3000)}@exempelby.example`;
    const o = await receive({ ...report(), messageId });
    expect(o.handling.diarienummer).toMatch(/^SFG 26-\d+\.1$/);
    expect(o.kvittens).toBe('skickad');
    expect(sent.filter((m) => m.to.includes('sara.provperson@exempelby.example'))).toHaveLength(1);
  });

  it('recognises a redelivery of a message with a 3 000-character Message-ID', async () => {
    const { receive, sent } = await setup();
    const spec = { ...report(), messageId: `${'b'.repeat(3000)}@exempelby.example` };
    const first = await receive(spec);
    const second = await receive(spec);
    expect(second).toMatchObject({ skapad: false, kvittens: 'redan-skickad' });
    expect(second.handling.diarienummer).toBe(first.handling.diarienummer);
    expect(sent).toHaveLength(1);
  });

  it('registers a report whose insatsnamn and organisation are 2 500 characters, and files the next one with it', async () => {
    const { receive, sent } = await setup();
    const long = { insatsnamn: `Stegvis ${'å'.repeat(2500)}`, organisation: `Kommun ${'ö'.repeat(2500)}` };
    const o = await receive(report(long));
    expect(o.handling.diarienummer).toMatch(/^SFG 26-\d+\.1$/);
    expect(o.kvittens).toBe('skickad');
    expect(sent).toHaveLength(1);
    for (const m of sent) expect(m.subject.length).toBeLessThan(400);
    const next = await receive(report(long));
    expect(next.handling.arende).toBe(o.handling.arende);
  });
});

describe('mail that failed the spam or virus verdict (no backscatter)', () => {
  it('registers spam but does not answer its sender: the kansli is told instead', async () => {
    const { receive, sent } = await setup();
    const o = await receive({ ...report(), spam: 'FAIL' });
    expect(o.handling.diarienummer).toMatch(/^SFG 26-\d+\.1$/);
    expect(o.handling.flaggor).toContain('spam');
    expect(o.kvittens).toBe('kvarhallen');
    expect(sent.map((m) => m.to)).toEqual([[KANSLI]]);
    expect(sent[0]!.subject).toContain('Kvarhållet');
    expect(sent[0]!.text).toContain('sara.provperson@exempelby.example');
  });

  it('quarantines a virus and does not answer its sender, spam verdict or not', async () => {
    const { receive, sent } = await setup();
    const o = await receive({ ...report(), spam: 'FAIL', virus: 'FAIL' });
    expect(o.handling.bedomning).toBe('karantan');
    expect(o.kvittens).toBe('karantan');
    expect(sent.map((m) => m.to)).toEqual([[KANSLI]]);
  });
});
