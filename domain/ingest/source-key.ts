import { createHash } from 'node:crypto';
import type { Inkorg } from '../document-archive.js';

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The Message-ID from the header block only (no MIME parsing), so a duplicate is recognised before any extraction. */
export function messageIdOf(raw: Uint8Array): string | null {
  const head = Buffer.from(raw.subarray(0, Math.min(raw.byteLength, 256 * 1024))).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = (end === -1 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const m = /^message-id:[ \t]*(<[^>\r\n]+>|\S+)/im.exec(block);
  return m?.[1]?.trim() ?? null;
}

// Headers the receiving server (SES) puts in front of the message; a redelivery gets new ones.
const RECEIPT_HEADER =
  /^(return-path|received|received-spf|authentication-results|x-ses-[a-z-]+|dkim-signature-ses):/i;

/**
 * The message as the sender sent it: SES's receipt headers at the top removed, so the same message delivered
 * twice hashes the same although each delivery has its own Received: line and SMTP id.
 */
export function withoutReceiptHeaders(raw: Uint8Array): Uint8Array {
  const head = Buffer.from(raw.subarray(0, Math.min(raw.byteLength, 64 * 1024))).toString('latin1');
  let offset = 0;
  let sawReceived = false;
  while (offset < head.length) {
    const lineEnd = head.indexOf('\n', offset);
    if (lineEnd === -1) break;
    const line = head.slice(offset, lineEnd);
    const name = RECEIPT_HEADER.exec(line)?.[1]?.toLowerCase();
    // Only the one Received: line the receiving server added; deeper ones belong to the message.
    if (!name || (name === 'received' && sawReceived)) break;
    if (name === 'received') sawReceived = true;
    let next = lineEnd + 1;
    while (next < head.length && (head[next] === ' ' || head[next] === '\t')) {
      const e = head.indexOf('\n', next);
      if (e === -1) break;
      next = e + 1;
    }
    offset = next;
  }
  return raw.subarray(offset);
}

/**
 * The idempotency key of an incoming object. A mail: Message-ID plus the SHA-256 of the raw message (a resend of the
 * same message is a duplicate, a new message reusing an id is not). An upload: the content hash, so the same file
 * uploaded twice under any name is one handling.
 */
export function sourceKeyFor(kalla: Inkorg, raw: Uint8Array): string {
  if (kalla === 'epost') {
    return `epost#${messageIdOf(raw) ?? 'utan-message-id'}#${sha256(withoutReceiptHeaders(raw))}`;
  }
  return `uppladdning#${sha256(raw)}`;
}
