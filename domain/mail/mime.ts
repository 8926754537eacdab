import { createHash } from 'node:crypto';
import type { OutgoingMail } from '../diarium/ports.js';

/** RFC 2047 B-encoding for a header with non-ASCII text, in words of at most 45 bytes of UTF-8. */
function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let current = '';
  for (const ch of value) {
    if (Buffer.byteLength(current + ch, 'utf8') > 45) {
      words.push(current);
      current = '';
    }
    current += ch;
  }
  if (current) words.push(current);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

function base64Lines(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');
}

/** RFC 5322 date of an ISO time, in UTC. */
function rfc5322Date(iso: string): string {
  return new Date(iso).toUTCString().replace('GMT', '+0000');
}

/**
 * The mail as a MIME message (multipart/alternative: text and HTML, UTF-8, base64), as we handed it to SES.
 * Deterministic: the same mail, time and message id give the same bytes (the boundary is derived from them).
 */
export function mimeMessage(
  mail: OutgoingMail,
  meta: { from: string; replyTo: string; skickad: string; meddelandeId: string },
): Uint8Array {
  const boundary = `=_rf_${createHash('sha256')
    .update(JSON.stringify([mail, meta]))
    .digest('hex')
    .slice(0, 24)}`;
  const lines = [
    `From: ${meta.from.replace(/^(.*?)\s*<([^>]+)>$/, (_m, namn: string, adr: string) => `${encodeHeader(namn.replace(/^"|"$/g, ''))} <${adr}>`)}`,
    `To: ${mail.to.join(', ')}`,
    `Reply-To: ${(mail.replyTo ?? [meta.replyTo]).join(', ')}`,
    `Subject: ${encodeHeader(mail.subject)}`,
    `Date: ${rfc5322Date(meta.skickad)}`,
    `X-SES-Message-ID: ${meta.meddelandeId}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(mail.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(mail.html),
    `--${boundary}--`,
    '',
  ];
  return new TextEncoder().encode(lines.join('\r\n'));
}
