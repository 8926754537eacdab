import { describe, expect, it } from 'vitest';
import { messageIdOf, sourceKeyFor, withoutReceiptHeaders } from './source-key.js';

const message =
  'From: a@b.example\r\nMessage-ID: <abc@b.example>\r\nReceived: from inner (deeper hop)\r\nSubject: Hej\r\n\r\nText\r\n';
const ses = (id: string, when: string) =>
  `Return-Path: <a@b.example>\r\nReceived: from mx (mx [1.2.3.4])\r\n by inbound-smtp.eu-west-1.amazonaws.com with SMTP id ${id}\r\n for kontakt@finsamgavleborg.se;\r\n ${when}\r\nX-SES-Spam-Verdict: PASS\r\nX-SES-Virus-Verdict: PASS\r\nReceived-SPF: pass\r\nAuthentication-Results: amazonses.com; spf=pass\r\n`;

describe('the idempotency key of a mail', () => {
  it('is the same for two deliveries of one message', () => {
    const a = Buffer.from(ses('aaa', 'Mon, 23 Nov 2026 10:00:00 +0000') + message);
    const b = Buffer.from(ses('bbb', 'Mon, 23 Nov 2026 10:05:00 +0000') + message);
    expect(sourceKeyFor('epost', a)).toBe(sourceKeyFor('epost', b));
    expect(sourceKeyFor('epost', a)).toMatch(/^epost#<abc@b\.example>#[0-9a-f]{64}$/);
  });

  it('differs for a new message that reuses a Message-ID', () => {
    const a = Buffer.from(ses('a', 'x') + message);
    const b = Buffer.from(ses('a', 'x') + message.replace('Text', 'Annan text'));
    expect(sourceKeyFor('epost', a)).not.toBe(sourceKeyFor('epost', b));
  });

  it('keeps the deeper Received lines, which belong to the message', () => {
    const stripped = Buffer.from(withoutReceiptHeaders(Buffer.from(ses('a', 'x') + message))).toString();
    expect(stripped).toBe(message);
  });

  it('reads a folded Message-ID header', () => {
    expect(messageIdOf(Buffer.from('Subject: x\r\nMessage-ID:\r\n <folded@id>\r\n\r\nbody'))).toBe(
      '<folded@id>',
    );
  });

  it('keys an upload by its content', () => {
    expect(sourceKeyFor('uppladdning', Buffer.from('x'))).toBe(sourceKeyFor('uppladdning', Buffer.from('x')));
  });
});
