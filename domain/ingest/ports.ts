import type { ExtractedDocument, ExtractedMail, MailContent, OpenedMail } from '../extraction/types.js';

/** Reads mail and documents into text; implemented by the extraction adapter. */
export interface ReportExtractor {
  /** Headers, bodies and attachments only: fast whatever the attachments hold, so registration need not wait. */
  openMail(raw: Uint8Array): Promise<OpenedMail>;
  /** Reads the opened mail's documents (Word, PDF, OCR) for the report: may take the mail's whole budget. */
  readMail(mail: OpenedMail): Promise<MailContent>;
  extractMail(raw: Uint8Array): Promise<ExtractedMail>;
  extractDocument(bytes: Uint8Array, filename: string): Promise<ExtractedDocument>;
}
