/** Caps that keep extraction bounded in time and memory whatever the input. */
export interface ExtractionLimits {
  /** Raw mail or uploaded file; SES inbound accepts at most 40 MB. */
  maxRawBytes: number;
  /** Attachments (not counting inline logos) we read text from. */
  maxAttachments: number;
  /** MIME parts in one message, counted before the message is parsed. */
  maxMimeParts: number;
  /** Total header bytes across all parts (postal-mime `maxHeadersSize`). */
  maxHeaderBytes: number;
  maxPdfPages: number;
  /** Pages without a text layer that we render and OCR in one document. */
  maxOcrPages: number;
  /** Entries in the zip container of a .docx/.odt. */
  maxZipEntries: number;
  /** Sum of the uncompressed sizes of the XML parts we decompress. */
  maxUncompressedBytes: number;
  /** Uncompressed/compressed for one entry (only checked for entries over 1 MiB uncompressed). */
  maxCompressionRatio: number;
  /**
   * Wall-clock budget for one document, OCR included: an upload, or one attachment (which also stays within
   * its mail's budget, so one slow scan cannot starve the attachments after it of all the time).
   */
  timeBudgetMs: number;
  /**
   * Wall-clock budget for one mail, shared by its attachments and its body; attachments not read within it are
   * reported (TIDSGRANS). The ingest's Lambda timeout is derived from it (infra/constructs/ingest-pipeline.ts).
   */
  mailTimeBudgetMs: number;
  /** OCR workers; further capped by os.availableParallelism(). */
  ocrConcurrency: number;
}

export const DEFAULT_LIMITS: ExtractionLimits = {
  maxRawBytes: 40 * 1024 * 1024,
  maxAttachments: 20,
  maxMimeParts: 500,
  maxHeaderBytes: 2 * 1024 * 1024,
  maxPdfPages: 200,
  maxOcrPages: 30,
  maxZipEntries: 2000,
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxCompressionRatio: 100,
  timeBudgetMs: 120_000,
  mailTimeBudgetMs: 420_000,
  ocrConcurrency: 8,
};

export function resolveLimits(partial: Partial<ExtractionLimits> | undefined): ExtractionLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}
