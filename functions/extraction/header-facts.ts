import type { MailHeaderFacts } from '../../domain/extraction/types.js';
import { topHeaders } from './ses-receipt.js';

/** Returned headers of a bounce can sit far into the message, after the human-readable part. */
const MAX_SCAN_BYTES = 1024 * 1024;

function first(headers: { key: string; value: string }[], key: string): string | null {
  return headers.find((h) => h.key === key)?.value ?? null;
}

function messageIds(value: string | null): string[] {
  return [...(value ?? '').matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!).slice(0, 50);
}

function addressOf(value: string | null): string | null {
  if (!value) return null;
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(value) ?? /([^\s<>"]+@[^\s<>"]+)/.exec(value);
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * The header facts the classification needs (Auto-Submitted, Precedence, List-*, multipart/report, reply
 * threading), from the top-level header block only; a bounce's or read receipt's returned Message-ID is read
 * from its report parts (message/rfc822-headers, message/rfc822, Original-Message-ID).
 */
export function readHeaderFacts(raw: Uint8Array, maxHeaderBytes: number): MailHeaderFacts {
  const headers = topHeaders(raw, maxHeaderBytes);
  const contentType = first(headers, 'content-type') ?? '';
  const report = /^\s*multipart\/report\b/i.test(contentType)
    ? (/report-type\s*=\s*"?([\w-]+)"?/i.exec(contentType)?.[1]?.toLowerCase() ?? 'okand')
    : null;
  let reported: string[] = [];
  if (report) {
    const s = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, MAX_SCAN_BYTES)).toString(
      'latin1',
    );
    const end = s.search(/\r?\n\r?\n/);
    const rest = end >= 0 ? s.slice(end) : '';
    const ids = [...rest.matchAll(/^(?:Original-)?Message-ID:[ \t]*(<[^>\r\n]+>)/gim)].map((m) => m[1]!);
    reported = [...new Set(ids.flatMap((v) => messageIds(v)))];
  }
  const inReplyTo = messageIds(first(headers, 'in-reply-to'))[0] ?? null;
  return {
    autoSubmitted: first(headers, 'auto-submitted')?.split(';')[0]?.trim().toLowerCase() ?? null,
    precedence: first(headers, 'precedence')?.trim().toLowerCase() ?? null,
    listId: first(headers, 'list-id')?.slice(0, 300) ?? null,
    listUnsubscribe: headers.some((h) => h.key === 'list-unsubscribe'),
    reportType: report,
    autoReplyHeader: headers.some((h) => h.key === 'x-autoreply' || h.key === 'x-autorespond'),
    inReplyTo,
    references: messageIds(first(headers, 'references')),
    reportedMessageIds: reported,
    outerFrom: addressOf(first(headers, 'from')),
  };
}

/**
 * A Subject: written as raw 8-bit bytes without encoded-words (old mail programs): kept as UTF-8 when it is
 * valid UTF-8, else read as windows-1252 (which covers Latin-1's letters å, ä, ö). Null when the subject is
 * plain ASCII or encoded, so the MIME parser's reading stands.
 */
export function rawEightBitSubject(raw: Uint8Array, maxHeaderBytes: number): string | null {
  const value = first(topHeaders(raw, maxHeaderBytes), 'subject');
  if (value === null || !/[^\x00-\x7f]/.test(value) || /=\?[^?]+\?[bq]\?/i.test(value)) return null;
  const bytes = Buffer.from(value, 'latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
