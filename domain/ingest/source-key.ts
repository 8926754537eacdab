import { createHash } from 'node:crypto';

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The Message-ID from the header block only (no MIME parsing), so a duplicate is recognised before any extraction. */
export function messageIdOf(raw: Uint8Array): string | null {
  const head = Buffer.from(raw.subarray(0, Math.min(raw.byteLength, 256 * 1024))).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = (end === -1 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const m = /^message-id:[ \t]*(<[^>\r\n]+>|\S+)/im.exec(block);
  return m?.[1]?.trim() ?? null;
}

/**
 * The idempotency key of an incoming object. A mail: Message-ID plus the SHA-256 of the raw message (a resend of the
 * same message is a duplicate, a new message reusing an id is not). An upload: the content hash, so the same file
 * uploaded twice under any name is one handling.
 */
export function sourceKeyFor(objectKey: string, raw: Uint8Array): string {
  const digest = sha256(raw);
  if (objectKey.startsWith('raw/')) return `epost#${messageIdOf(raw) ?? 'utan-message-id'}#${digest}`;
  return `uppladdning#${digest}`;
}
