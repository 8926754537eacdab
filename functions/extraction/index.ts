/**
 * The extraction stage: raw mail or file in, text and reasons out. Light at load time: the
 * parsers (unpdf, mammoth, word-extractor, tesseract.js, @napi-rs/canvas) are imported on demand.
 */
export { DEFAULT_LIMITS, type ExtractionLimits } from './limits.js';
export { detectType, type DetectedType } from './detect-type.js';
export { extractDocument, type ExtractDocumentOptions } from './document.js';
export { extractMail, openMail, readMail, type ExtractMailOptions } from './mail.js';
export { GODKANDA_FORMAT, type ProblemKod } from './problems.js';
