import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ArkivDokument } from '../document-archive.js';
import { ExpedierandeMailSender, klassificera, type ExpedieringConfig } from './expediering.js';
import type { ArendeTarget, LogEvent, NewHandling, OutgoingMail } from './ports.js';

const config: ExpedieringConfig = {
  serie: 'SFG',
  from: 'Rapportflöde <noreply@finsamgavleborg.example>',
  replyTo: 'kontakt@finsamgavleborg.example',
  interna: ['kansli@finsamgavleborg.example'],
  granskare: ['karin.provare@forsakringskassan.example'],
};

function harness(opts: { failFiling?: boolean } = {}) {
  const filed: ArkivDokument[] = [];
  const registered: { target: ArendeTarget; handling: NewHandling; sourceKey: string }[] = [];
  const logged: { arende: string; log: LogEvent }[] = [];
  const log: string[] = [];
  const sender = new ExpedierandeMailSender(
    { send: () => Promise.resolve({ messageId: 'ses-1' }) },
    {
      registry: {
        registerHandling: (target: ArendeTarget, handling: NewHandling, sourceKey: string) => {
          registered.push({ target, handling, sourceKey });
          return Promise.resolve({
            handling: { ...handling, diarienummer: 'SFG 26-5.2' } as never,
            skapad: true,
          });
        },
        appendLog: (arende: string, l: LogEvent) => {
          logged.push({ arende, log: l });
          return Promise.resolve({} as never);
        },
      } as never,
      documents: {
        file: (_arkiv, d) => {
          if (opts.failFiling) return Promise.reject(new Error('S3 nere'));
          filed.push(d);
          return Promise.resolve(`handlingar/${d.sha256}/${d.filnamn}`);
        },
      },
      clock: () => new Date('2026-11-24T09:00:00Z'),
      log: (level, m) => log.push(`${level}: ${m}`),
      config,
    },
  );
  return { sender, filed, registered, logged, log };
}

const mail = (over: Partial<OutgoingMail>): OutgoingMail => ({
  to: ['sara.provperson@exempelby.example'],
  subject: 'Kvittens SFG 26-5.1: slutrapport mottagen [Dnr SFG 26-5]',
  text: 'Tack för er slutrapport.',
  html: '<p>Tack för er slutrapport.</p>',
  ...over,
});

describe('expedierade handlingar', () => {
  it('keeps a kvittens as sent (raw MIME, SHA-256) and registers it in its ärende with the day it was sent', async () => {
    const h = harness();
    expect(await h.sender.send(mail({}))).toEqual({ messageId: 'ses-1' });
    const [fil] = h.filed;
    expect(fil?.contentType).toBe('message/rfc822');
    expect(fil?.sha256).toBe(createHash('sha256').update(fil!.bytes).digest('hex'));
    const mime = new TextDecoder().decode(fil?.bytes);
    expect(mime).toContain('X-SES-Message-ID: ses-1');
    expect(mime).toContain('Content-Type: multipart/alternative');
    expect(h.registered).toHaveLength(1);
    expect(h.registered[0]?.target).toEqual({ typ: 'befintligt', diarienummer: 'SFG 26-5' });
    expect(h.registered[0]?.sourceKey).toBe('expedierad#ses:ses-1');
    expect(h.registered[0]?.handling).toMatchObject({
      kalla: 'upprattad',
      ankomstdatum: '2026-11-24',
      flaggor: ['expedierad'],
      beskrivning: 'Expedierad: Kvittens SFG 26-5.1: slutrapport mottagen [Dnr SFG 26-5]',
      filer: [{ sha256: fil?.sha256, typ: 'message/rfc822', storlek: fil?.bytes.length }],
    });
  });

  it('keeps a reviewer invitation without its link and notes it on the ärende instead of registering it', async () => {
    const h = harness();
    await h.sender.send(
      mail({
        to: ['karin.provare@forsakringskassan.example'],
        subject: 'Granskning av slutrapport SFG 26-5.1 [Dnr SFG 26-5]',
        text: 'Öppna: http://localhost:3000/beslut/hemlig-token-123',
        html: '<a href="http://localhost:3000/beslut/hemlig-token-123">Öppna</a>',
      }),
    );
    const mime = Buffer.from(
      new TextDecoder()
        .decode(h.filed[0]?.bytes)
        .split(/\r\n\r\n/)
        .slice(2)
        .join(''),
      'base64',
    ).toString('utf8');
    expect(new TextDecoder().decode(h.filed[0]?.bytes)).not.toContain('hemlig');
    expect(mime).not.toContain('hemlig-token');
    expect(h.registered).toEqual([]);
    expect(h.logged).toMatchObject([
      {
        arende: 'SFG 26-5',
        log: { handelse: 'granskningsinbjudan-skickad', data: { meddelandeId: 'ses-1' } },
      },
    ]);
  });

  it('keeps nothing of mail to the kansli only, and never fails a send that SES accepted', async () => {
    const intern = harness();
    await intern.sender.send(mail({ to: ['Kansli@finsamgavleborg.example'] }));
    expect(intern.filed).toEqual([]);

    const trasig = harness({ failFiling: true });
    expect(await trasig.sender.send(mail({}))).toEqual({ messageId: 'ses-1' });
    expect(trasig.log).toEqual(['error: Ett skickat mejl kunde inte diarieföras som expedierat']);
  });

  it('classifies by recipient and subject marking', () => {
    expect(klassificera(mail({ subject: 'Bevakning 2026-12-07' }), config)).toBe('utan-arende');
    expect(klassificera(mail({}), config)).toBe('expedieras');
  });
});
