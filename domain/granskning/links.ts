import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A 128-bit random link id, URL-safe. Only its hash is stored. */
export function newLinkId(): string {
  return randomBytes(16).toString('base64url');
}

export function hashLinkId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

export function newCsrfToken(): string {
  return randomBytes(16).toString('base64url');
}

const LINK_ID = /^[A-Za-z0-9_-]{22}$/;
export function isWellFormedLinkId(id: string): boolean {
  return LINK_ID.test(id);
}

/** Constant-time comparison of two secrets of any length. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
