import * as z from 'zod';

export const granskningInputSchema = z.object({
  diarienummer: z.string(),
  arende: z.string(),
  granskningId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
});

/** One reviewer's decision: in the task output and as stored on the granskning. */
export const beslutSchema = z.object({
  granskningId: z.string(),
  granskareId: z.string(),
  namn: z.string(),
  organisation: z.string(),
  /** `jav`: the member declared a conflict of interest (kommentar holds the reason); it counts as no vote. */
  utfall: z.enum(['godkand', 'komplettering', 'jav']),
  kommentar: z.string().nullable(),
  tidpunkt: z.string(),
});

/** Output of the wait-for-token task (what SendTaskSuccess carries), stored at $.beslut. */
export const granskningsResultatSchema = z.object({
  utfall: z.enum(['godkand', 'komplettering', 'inget-beslut', 'ersatt']),
  beslut: z.array(beslutSchema).default([]),
});

/** Payload of the granskning-task Lambda (notify / remind / escalate). */
export const granskningTaskPayloadSchema = z.object({
  steg: z.enum(['notifiera', 'paminn', 'eskalera']),
  taskToken: z.string().min(1),
  granskning: granskningInputSchema,
});
export type GranskningTaskPayload = z.infer<typeof granskningTaskPayloadSchema>;

/** Payload of the granskning-finalize Lambda: the execution state at Avsluta. */
export const granskningFinalizePayloadSchema = granskningInputSchema.extend({
  beslut: granskningsResultatSchema,
});
export type GranskningFinalizePayload = z.infer<typeof granskningFinalizePayloadSchema>;
