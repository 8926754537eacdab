import * as z from 'zod';
import { s3ObjectCreatedSchema } from './s3-object-created.js';

export const HANDLING_LASNING_BEGARD = 'HandlingLasningBegard';

/**
 * The kansli asked for a handling registered by hand (a paper slutrapport) to be read and its granskning
 * started. Sent by the kansli function to the ingest queue, because the reading (OCR, PDF, Word) and its memory
 * budget live in the ingest (docs/kansli-registrera.md).
 */
export const handlingLasningBegardSchema = z.object({
  typ: z.literal(HANDLING_LASNING_BEGARD),
  diarienummer: z.string().min(1),
  /** The person who asked, as the ärende's log names them (loggNamn). */
  av: z.string().min(1),
  begard: z.iso.datetime({ offset: true }),
});
export type HandlingLasningBegard = z.infer<typeof handlingLasningBegardSchema>;

/** What an ingest queue message's body is: an S3 arrival (or its re-drive), or a reading asked for by the kansli. */
export const ingestMessageSchema = z.union([s3ObjectCreatedSchema, handlingLasningBegardSchema]);
export type IngestMessage = z.infer<typeof ingestMessageSchema>;

export function isLasningBegard(m: IngestMessage): m is HandlingLasningBegard {
  return 'typ' in m && m.typ === HANDLING_LASNING_BEGARD;
}
