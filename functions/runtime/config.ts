import * as z from 'zod';
import { DEFAULT_BESLUT_POLICY, DEFAULT_LINK_TTL_SECONDS, DEFAULT_SERIE } from '../../domain/defaults.js';

const beredningsgrupp = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'BEREDNINGSGRUPP är inte giltig JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(
        z
          .object({
            id: z.string().min(1).optional(),
            namn: z.string().min(1),
            epost: z.email(),
            organisation: z.string().min(1),
            ersattare: z.object({ namn: z.string(), epost: z.email() }).optional(),
            franvarande: z.boolean().optional(),
          })
          // The member's address identifies them unless the deployment gives an explicit id.
          .transform((g) => ({ ...g, id: g.id ?? g.epost.toLowerCase() })),
      )
      .min(1),
  );

const policy = z
  .string()
  .transform((s) => JSON.parse(s) as unknown)
  .pipe(
    z.discriminatedUnion('typ', [
      z.object({ typ: z.literal('forsta') }),
      z.object({ typ: z.literal('kvorum'), antal: z.number().int().min(1) }),
    ]),
  );

const base = {
  TABLE_NAME: z.string().min(1),
  DIARIUM_SERIE: z
    .string()
    .regex(/^[A-ZÅÄÖ]{2,6}$/)
    .default(DEFAULT_SERIE),
};

export const schemas = {
  ingest: z.object({
    ...base,
    INBOUND_BUCKET: z.string().min(1),
    EVENT_BUS_NAME: z.string().min(1),
    MAIL_FROM: z.string().min(3),
    KANSLI_EMAIL: z.email(),
  }),
  startGranskning: z.object({ ...base, STATE_MACHINE_ARN: z.string().min(1) }),
  granskningTask: z.object({
    ...base,
    MAIL_FROM: z.string().min(3),
    PUBLIC_BASE_URL: z.url(),
    BEREDNINGSGRUPP: beredningsgrupp,
    FORBUNDSCHEF_EMAIL: z.email(),
    KANSLI_EMAIL: z.email(),
    LINK_TTL_SECONDS: z.coerce.number().int().positive().default(DEFAULT_LINK_TTL_SECONDS),
    BESLUT_POLICY: policy.default(DEFAULT_BESLUT_POLICY),
    /**
     * Members marked absent (ids or e-mail addresses, comma-separated): their ersättare gets the mail instead.
     * Kept apart from BEREDNINGSGRUPP so the kansli can change it without touching the group itself.
     */
    BEREDNINGSGRUPP_FRANVARANDE: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim().toLowerCase())
          .filter(Boolean),
      ),
  }),
  finalize: z.object({
    ...base,
    MAIL_FROM: z.string().min(3),
    KANSLI_EMAIL: z.email(),
    INBOUND_BUCKET: z.string().min(1),
    // As for beslut: the document writer signs its own request, without an S3 client.
    AWS_REGION: z.string().min(1),
    AWS_ENDPOINT_URL_S3: z.url().optional(),
    BESLUT_POLICY: policy.default(DEFAULT_BESLUT_POLICY),
  }),
  beslut: z.object({
    ...base,
    INBOUND_BUCKET: z.string().min(1),
    // Set by the Lambda runtime; the endpoint only locally. The link signer needs both without an S3 client.
    AWS_REGION: z.string().min(1),
    AWS_ENDPOINT_URL_S3: z.url().optional(),
    BESLUT_POLICY: policy.default(DEFAULT_BESLUT_POLICY),
  }),
  postlista: z.object({ ...base }),
  reconcile: z.object({ ...base, INBOUND_BUCKET: z.string().min(1), INGEST_QUEUE_URL: z.string().min(1) }),
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parsed once at cold start; a missing or malformed variable stops the function before it takes any event. */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const r = schema.safeParse(env);
  if (!r.success) {
    throw new ConfigError(
      `Ogiltig konfiguration: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return r.data;
}
