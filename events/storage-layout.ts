/**
 * The key layout of the inbound bucket: the one place that knows which prefix holds what. The CDK stacks
 * (receipt rule, event rule, grants), the adapters (S3 event parsing, the document store) and the local stack
 * read it from here; the domain never sees a prefix, only the kinds below.
 */
import { INKORGAR, type Arkiv, type Inkorg } from '../domain/document-archive.js';

export { INKORGAR, type Arkiv, type Inkorg };

export const INBOUND_PREFIX = {
  /** Raw MIME stored by the SES receipt rule. */
  raw: 'raw/',
  /** Files the kansli uploads by hand. */
  uppladdat: 'uppladdat/',
  /** Files of each handling (attachments, beslut documents), content-addressed. */
  handlingar: 'handlingar/',
  /** Virus-flagged mail's attachments, kept but out of the normal path. */
  karantan: 'karantan/',
} as const;

export const INKORG_PREFIX: Readonly<Record<Inkorg, string>> = {
  epost: INBOUND_PREFIX.raw,
  uppladdning: INBOUND_PREFIX.uppladdat,
};

/** A beslut is filed among the handlingar (an upprättad handling's file). */
export const ARKIV_PREFIX: Readonly<Record<Arkiv, string>> = {
  handling: INBOUND_PREFIX.handlingar,
  karantan: INBOUND_PREFIX.karantan,
  beslut: INBOUND_PREFIX.handlingar,
};

/** The prefixes of every inbox: what the event rule passes to the ingest, what the ingest and reconcile read. */
export const INKORG_PREFIXES: readonly string[] = INKORGAR.map((i) => INKORG_PREFIX[i]);

/** The inbox an object key belongs to, or null for a key the ingest does not take (its own filed documents). */
export function inkorgOf(key: string): Inkorg | null {
  for (const inkorg of INKORGAR) if (key.startsWith(INKORG_PREFIX[inkorg])) return inkorg;
  return null;
}

/**
 * SES writes one object named so under the S3 action's prefix when a receipt rule with that action is created:
 * a test message of SES's own, not mail anyone sent. It must never become a handling in the diarium.
 */
export const SES_SETUP_NOTIFICATION = 'AMAZON_SES_SETUP_NOTIFICATION';

export function isSesSetupNotification(key: string): boolean {
  return key.endsWith(SES_SETUP_NOTIFICATION);
}

/** The content-addressed key of a filed document: one key per content and name, so a retry rewrites nothing. */
export function arkivKey(arkiv: Arkiv, sha256: string, filnamn: string): string {
  return `${ARKIV_PREFIX[arkiv]}${sha256}/${filnamn}`;
}

/** The key SES (or its local stand-in) stores a received message under. */
export function rawMailKey(id: string): string {
  return `${INBOUND_PREFIX.raw}${id}`;
}
