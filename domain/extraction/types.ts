/**
 * What the extraction stage (MIME, Word, PDF, OCR) hands to the domain. Implemented outside domain/
 * (functions/extraction) because it needs parsing libraries; the domain only sees these types.
 */

/** Formats we read; the value reported as `kalla.format`. 'bild-ocr': an image file (phone scan) read by OCR. */
export type DocumentFormat =
  'docx' | 'pdf' | 'pdf-ocr' | 'bild-ocr' | 'odt' | 'doc' | 'text' | 'html' | 'epost';

/** Stable reason codes for input we could not (fully) read; each has a Swedish message. */
export interface ExtractionProblem {
  kod: string;
  /** Swedish, for the sender: what went wrong and what to send instead. */
  meddelande: string;
  /** Which file the problem concerns, when it concerns one. */
  fil?: string;
}

export interface ExtractedAttachment {
  filename: string;
  /** Type detected from the bytes, not the name: 'pdf', 'docx', 'png', 'zip', 'okand', … */
  detectedType: string;
  contentType: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  /** Inline parts (logos in signatures) are kept but never chosen as the report. */
  inline: boolean;
}

export interface ReportText {
  /** Where the report text came from. */
  source: 'bilaga' | 'brodtext';
  /** Index into `attachments` when source is 'bilaga'. */
  attachmentIndex?: number;
  filename?: string;
  format: DocumentFormat;
  text: string;
}

export interface MailAddress {
  address: string;
  name?: string;
}

/** An X-SES-*-Verdict header's value. */
export type SesVerdict = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED';
export const SES_VERDICTS: readonly SesVerdict[] = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED'];

/** A result in Authentication-Results / Received-SPF (RFC 8601, RFC 7208), lower case as the RFCs write them. */
export type AuthResult =
  'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';
export const AUTH_RESULTS: readonly AuthResult[] = [
  'pass',
  'fail',
  'softfail',
  'neutral',
  'none',
  'temperror',
  'permerror',
  'policy',
];

/**
 * Verdicts that SES inbound adds to the stored message (X-SES-*-Verdict headers, Authentication-Results),
 * parsed into typed values by the extraction; a value it does not know is left out.
 */
export interface ReceiptVerdicts {
  spam?: SesVerdict;
  virus?: SesVerdict;
  spf?: AuthResult;
  dkim?: AuthResult;
  dmarc?: AuthResult;
}

/**
 * Header facts the classification needs (domain/klassning), read from the top-level header block. Values are
 * lower-cased where the RFCs make them case-insensitive; absent headers are null/false/empty.
 */
export interface MailHeaderFacts {
  /** RFC 3834 Auto-Submitted ('no', 'auto-replied', 'auto-generated', …). */
  autoSubmitted: string | null;
  /** Precedence (bulk, list, junk). */
  precedence: string | null;
  /** RFC 2919 List-Id. */
  listId: string | null;
  /** RFC 2369 List-Unsubscribe present. */
  listUnsubscribe: boolean;
  /** The report-type of a top-level multipart/report (RFC 6522): 'delivery-status', 'disposition-notification'. */
  reportType: string | null;
  /** X-Autoreply / X-Autorespond (older vacation programs) present. */
  autoReplyHeader: boolean;
  inReplyTo: string | null;
  references: string[];
  /** Message-IDs of the mail a bounce or read receipt reports on (its returned headers or Original-Message-ID). */
  reportedMessageIds: string[];
  /** The outer From: address (before a forward or a bounce's returned message is unwrapped). */
  outerFrom: string | null;
}

export interface ExtractedMail {
  messageId: string | null;
  subject: string | null;
  from: MailAddress | null;
  /** Envelope sender from the receiving server (Return-Path), kept beside From:. */
  envelopeFrom: string | null;
  to: MailAddress[];
  /** Date: header of the message (the sender's clock; not the ankomstdatum). */
  date: string | null;
  /** Receipt time written by the receiving server (topmost Received: header), ISO-8601 UTC. */
  receivedAt: string | null;
  verdicts: ReceiptVerdicts;
  /** When the mail forwards another (message/rfc822 or an inline forward), who forwarded it. */
  forwardedBy: MailAddress | null;
  headers: MailHeaderFacts;
  bodyText: string;
  attachments: ExtractedAttachment[];
  report: ReportText | null;
  problems: ExtractionProblem[];
}

export interface ExtractedDocument {
  format: DocumentFormat | null;
  text: string | null;
  pages?: number;
  ocrPages?: number;
  problems: ExtractionProblem[];
}

/**
 * A mail opened without reading its documents: what registration needs, read in a time bounded by the mail's
 * size, whatever its attachments hold (a scan's OCR comes after registration).
 */
export interface OpenedMail extends Omit<ExtractedMail, 'report'> {
  /** Indices into `attachments` of the files whose documents are read for the report. */
  lasbaraBilagor: number[];
  /** Body texts (the mail's, and a forwarded message's) that may hold a report pasted in. */
  brodtexter: string[];
  /** Refused before its parts were parsed (size, part count, headers): there is nothing more to read. */
  stoppad: boolean;
}

/** What reading an opened mail's documents added: the report, if one was found, and the problems met. */
export interface MailContent {
  report: ReportText | null;
  problems: ExtractionProblem[];
}

/** Header facts of a mail that says nothing special (an upload, a test double). */
export function emptyHeaderFacts(): MailHeaderFacts {
  return {
    autoSubmitted: null,
    precedence: null,
    listId: null,
    listUnsubscribe: false,
    reportType: null,
    autoReplyHeader: false,
    inReplyTo: null,
    references: [],
    reportedMessageIds: [],
    outerFrom: null,
  };
}
