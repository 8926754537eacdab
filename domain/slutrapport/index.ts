/** Reading and judging slutrapporter: parse (tolerant), validate (zod), summarise (Swedish). */
export type {
  Finding,
  ParsedSlutrapport,
  PersonnummerFynd,
  Rapport,
  RawFields,
  SlutrapportResult,
  SlutrapportStatus,
} from './schema.js';
export {
  findingSchema,
  parsedSlutrapportSchema,
  personnummerFyndSchema,
  rapportSchema,
  slutrapportResultSchema,
  slutrapportStatusSchema,
} from './schema.js';
export { looksLikeSlutrapport, parseSlutrapport } from './parse.js';
export {
  MIN_LIKHET,
  SEN_RAPPORT_MANADER,
  readSlutrapport,
  slutrapportSchema,
  validateSlutrapport,
} from './validate.js';
export {
  formatSek,
  parseAmountSek,
  parseDateRange,
  parseDateSv,
  parseEmails,
  parsePhoneNumbers,
  parsePostnummer,
} from './normalisers.js';
export { findPersonnummer, maskPersonnummer, type PersonnummerHit } from './personnummer.js';
export { formatFindingsSv, formatSummarySv, formatTelefonSv } from './summary.js';
export { AVSNITT_KEYS, OBLIGATORISKA_AVSNITT, type AvsnittKey } from './template.js';
