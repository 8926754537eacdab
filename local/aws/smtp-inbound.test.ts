import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { reservePort } from './ports.js';
import { synthesize } from './synth.js';
import { MAILBOX_DOES_NOT_EXIST, receiptRecipients, ruleAccepts, startSmtpInbound } from './smtp-inbound.js';

describe('the receipt rule as the SMTP stand-in reads it', () => {
  it('takes the recipients from the synthesized stateful template', () => {
    const { stateful, config } = synthesize();
    expect(receiptRecipients(stateful)).toEqual(config.recipients);
  });

  it('matches addresses, domains and subdomains as SES does', () => {
    const rule = ['kontakt@finsamgavleborg.se', 'example.se', '.sub.example'];
    expect(ruleAccepts(rule, 'Kontakt@Finsamgavleborg.se')).toBe(true);
    expect(ruleAccepts(rule, 'noreply@finsamgavleborg.se')).toBe(false);
    expect(ruleAccepts(rule, 'vem@example.se')).toBe(true);
    expect(ruleAccepts(rule, 'vem@a.sub.example')).toBe(true);
    expect(ruleAccepts(rule, 'vem@sub.example')).toBe(false);
    expect(ruleAccepts(null, 'vem@var.som.helst')).toBe(true);
  });
});

describe('the SMTP stand-in', () => {
  const stored: PutObjectCommandInput[] = [];
  const stops: (() => Promise<void> | void)[] = [];
  let port = 0;

  beforeAll(async () => {
    // An S3 client that records the PutObject instead of sending it.
    const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    s3.middlewareStack.add(
      () => (args) => {
        stored.push(args.input as PutObjectCommandInput);
        return Promise.resolve({ output: { $metadata: {} }, response: {} });
      },
      { step: 'initialize', name: 'recordPut' },
    );
    const reservation = await reservePort(undefined);
    port = reservation.port;
    await startSmtpInbound({
      reservation,
      s3,
      bucket: 'inbound',
      recipients: ['kontakt@finsamgavleborg.se'],
      defer: (stop) => void stops.push(stop),
    });
  });

  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  const send = (to: string) =>
    nodemailer
      .createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true })
      .sendMail({ envelope: { from: 'a@kommun.example', to: [to] }, raw: 'Subject: x\r\n\r\nHej\r\n' });

  it('stores mail for a recipient the rule lists', async () => {
    await send('kontakt@finsamgavleborg.se');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.Key).toMatch(/^raw\//);
  });

  it('refuses any other recipient with 550 5.1.1, as SES does, and stores nothing', async () => {
    const before = stored.length;
    await expect(send('noreply@finsamgavleborg.se')).rejects.toMatchObject({
      responseCode: 550,
      response: `550 ${MAILBOX_DOES_NOT_EXIST}`,
    });
    expect(stored).toHaveLength(before);
  });
});
