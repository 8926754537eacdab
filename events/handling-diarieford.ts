import * as z from 'zod';

export const HANDLING_DIARIEFORD = 'HandlingDiarieford';
export const GRANSKNING_BEGARD = 'GranskningBegard';
export const EVENT_SOURCE = 'rapportflode.diarium';

/** What reading the document concluded (karantan: SES found a virus). */
export const bedomningSchema = z.enum(['komplett', 'ofullstandig', 'olasbar', 'karantan']);
export const granskningStatusSchema = z.enum([
  'ej-aktuell',
  'vantar-pa-kansliet',
  'pagar',
  'godkand',
  'komplettering-begard',
  'inget-beslut',
]);

export const handlingDiariefordDetailSchema = z.object({
  diarienummer: z.string(),
  arende: z.string(),
  bedomning: bedomningSchema,
  granskning: granskningStatusSchema,
  ankomstdatum: z.string(),
  /** Mirrors bedomning for the EventBridge rule that starts granskning (detail.status = komplett). */
  status: z.string(),
});
export type HandlingDiariefordDetail = z.infer<typeof handlingDiariefordDetailSchema>;

export const granskningBegardDetailSchema = z.object({
  diarienummer: z.string(),
  arende: z.string(),
  av: z.string(),
});

/** What the start-granskning Lambda receives from the EventBridge rule. */
export const appEventSchema = z.discriminatedUnion('detail-type', [
  z.object({
    'detail-type': z.literal(HANDLING_DIARIEFORD),
    source: z.string(),
    detail: handlingDiariefordDetailSchema,
  }),
  z.object({
    'detail-type': z.literal(GRANSKNING_BEGARD),
    source: z.string(),
    detail: granskningBegardDetailSchema,
  }),
]);
export type AppEvent = z.infer<typeof appEventSchema>;
