import * as z from 'zod';
import type { DetailPattern } from './event-pattern.js';

export const HANDLING_DIARIEFORD = 'HandlingDiarieford';
export const GRANSKNING_BEGARD = 'GranskningBegard';
export const EVENT_SOURCE = 'rapportflode.diarium';

/** What reading the document concluded (karantan: SES found a virus; lases: registered, still being read). */
export const bedomningSchema = z.enum(['komplett', 'ofullstandig', 'olasbar', 'karantan', 'lases']);
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
});
export type HandlingDiariefordDetail = z.infer<typeof handlingDiariefordDetailSchema>;

/**
 * The detail field, and its value, that make a HandlingDiarieford start a granskning. The EventBridge rule is
 * built from these (infra/constructs/granskning-workflow.ts) and start-granskning checks the same field.
 */
export const STARTAR_GRANSKNING_FALT = 'bedomning' satisfies keyof HandlingDiariefordDetail;
export const STARTAR_GRANSKNING_VARDE: HandlingDiariefordDetail[typeof STARTAR_GRANSKNING_FALT] = 'komplett';

/** The rule's pattern: detail-type and the one detail field. */
export const startarGranskningPattern = {
  detailType: [HANDLING_DIARIEFORD],
  detail: {
    [STARTAR_GRANSKNING_FALT]: [STARTAR_GRANSKNING_VARDE],
  } satisfies DetailPattern<HandlingDiariefordDetail>,
};

/** Whether a HandlingDiarieford detail is one the rule passes (the consumer's half of the same check). */
export function startarGranskning(detail: HandlingDiariefordDetail): boolean {
  return detail[STARTAR_GRANSKNING_FALT] === STARTAR_GRANSKNING_VARDE;
}

/** The rule's pattern for GranskningBegard (the kansli releases a held handling). */
export const granskningBegardPattern = { detailType: [GRANSKNING_BEGARD] };

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
