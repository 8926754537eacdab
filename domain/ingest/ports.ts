import type { ExtractedDocument, ExtractedMail } from '../extraction/types.js';

/** Reads mail and documents into text; implemented by the extraction adapter. */
export interface ReportExtractor {
  extractMail(raw: Uint8Array): Promise<ExtractedMail>;
  extractDocument(bytes: Uint8Array, filename: string): Promise<ExtractedDocument>;
}
