import {
  AUTH_RESULTS,
  SES_VERDICTS,
  type AuthResult,
  type ReceiptVerdicts,
  type SesVerdict,
} from '../../domain/extraction/types.js';

/**
 * Reads what the receiving server (SES inbound) prepended to the stored message. Only the topmost
 * occurrence of each header counts: deeper ones were written by the sender's side and prove nothing.
 */
export interface SesReceipt {
  receivedAt: string | null;
  envelopeFrom: string | null;
  verdicts: ReceiptVerdicts;
}

const VERDICTS: ReadonlySet<string> = new Set(SES_VERDICTS);
const RESULTS: ReadonlySet<string> = new Set(AUTH_RESULTS);

/** Unfolded header fields of the top-level header block, in order (bounded by maxBytes). */
export function topHeaders(raw: Uint8Array, maxBytes: number): { key: string; value: string }[] {
  const head = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, maxBytes)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = end >= 0 ? head.slice(0, end) : head;
  const out: { key: string; value: string }[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length > 0) {
      out[out.length - 1]!.value += ' ' + line.trim();
    } else {
      const i = line.indexOf(':');
      if (i > 0) out.push({ key: line.slice(0, i).trim().toLowerCase(), value: line.slice(i + 1).trim() });
    }
  }
  return out;
}

function isVerdict(t: string): t is SesVerdict {
  return VERDICTS.has(t);
}

function verdict(v: string | undefined): SesVerdict | undefined {
  const t = v?.trim().toUpperCase() ?? '';
  return isVerdict(t) ? t : undefined;
}

function isAuthResult(t: string): t is AuthResult {
  return RESULTS.has(t);
}

function authResultOf(v: string | undefined): AuthResult | undefined {
  const t = v?.toLowerCase() ?? '';
  return isAuthResult(t) ? t : undefined;
}

export function parseReceivedDate(received: string): string | null {
  const i = received.lastIndexOf(';');
  if (i < 0) return null;
  const date = received
    .slice(i + 1)
    .replace(/\([^)]*\)/g, '')
    .trim();
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function authResult(value: string, method: string): string | undefined {
  return new RegExp(`(?:^|[;\\s])${method}=([a-z]+)`, 'i').exec(value)?.[1]?.toLowerCase();
}

export function parseSesReceipt(raw: Uint8Array, maxBytes = 256 * 1024): SesReceipt {
  const headers = topHeaders(raw, maxBytes);
  const first = (key: string): string | undefined => headers.find((h) => h.key === key)?.value;
  const verdicts: ReceiptVerdicts = {};
  const spam = verdict(first('x-ses-spam-verdict'));
  const virus = verdict(first('x-ses-virus-verdict'));
  if (spam) verdicts.spam = spam;
  if (virus) verdicts.virus = virus;
  const auth = first('authentication-results');
  const spf = authResultOf(
    (auth && authResult(auth, 'spf')) ?? /^\s*([a-z]+)/i.exec(first('received-spf') ?? '')?.[1],
  );
  if (spf) verdicts.spf = spf;
  const dkim = authResultOf(auth && authResult(auth, 'dkim'));
  if (dkim) verdicts.dkim = dkim;
  const dmarc = authResultOf(auth && authResult(auth, 'dmarc'));
  if (dmarc) verdicts.dmarc = dmarc;
  const received = first('received');
  const returnPath = first('return-path');
  // `Return-Path: <>` is the null sender of bounces and other machine mail (RFC 5321 4.5.5): kept as '', which
  // the classification reads as automatic; no Return-Path at all is null (unknown).
  const envelope = returnPath === undefined ? null : (/<([^>]*)>/.exec(returnPath)?.[1] ?? returnPath).trim();
  return {
    receivedAt: received ? parseReceivedDate(received) : null,
    envelopeFrom: envelope,
    verdicts,
  };
}
