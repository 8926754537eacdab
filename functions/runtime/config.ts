import * as z from 'zod';
import { DEFAULT_BEVAKNING } from '../../domain/bevakning/types.js';
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

/**
 * What the SDK clients are built from. On Lambda the runtime sets region and credentials and no endpoint is
 * given (the service's own); elsewhere the record names the endpoints of the services it runs against.
 */
const aws = {
  AWS_REGION: z.string().min(1).optional(),
  // Empty is allowed: a pair that is not complete is left to the SDK's own credential chain and its error.
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  AWS_SESSION_TOKEN: z.string().optional(),
  AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  AWS_ENDPOINT_URL_SESV2: z.url().optional(),
  AWS_ENDPOINT_URL_SFN: z.url().optional(),
  AWS_ENDPOINT_URL_EVENTBRIDGE: z.url().optional(),
  AWS_ENDPOINT_URL_SQS: z.url().optional(),
};

/** Logging and metrics settings, passed to Powertools explicitly so the record alone decides them. */
const observability = {
  POWERTOOLS_SERVICE_NAME: z.string().min(1).optional(),
  POWERTOOLS_LOG_LEVEL: z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL']))
    .optional(),
  POWERTOOLS_METRICS_DISABLED: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
};

/** What every function that sends mail reads: the sender, the receiving Reply-To, the SES configuration set. */
const mail = {
  MAIL_FROM: z.string().min(3),
  // A receiving address of the receipt rule: a reply to any mail we send must come back to the diarium.
  MAIL_REPLY_TO: z.email(),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
};

const base = {
  ...aws,
  ...observability,
  TABLE_NAME: z.string().min(1),
  DIARIUM_SERIE: z
    .string()
    .regex(/^[A-ZÅÄÖ]{2,6}$/)
    .default(DEFAULT_SERIE),
};

/**
 * Object Lock retention (days) of what the function writes or retains: the stage's objectLockRetentionDays.
 * Required, with no default: a function that writes records must not guess how long they are kept.
 */
const retention = { RETENTION_DAYS: z.coerce.number().int().min(1).max(36500) };

export const schemas = {
  ingest: z.object({
    ...base,
    INBOUND_BUCKET: z.string().min(1),
    EVENT_BUS_NAME: z.string().min(1),
    ...mail,
    KANSLI_EMAIL: z.email(),
    ...retention,
  }),
  startGranskning: z.object({ ...base, STATE_MACHINE_ARN: z.string().min(1) }),
  granskningTask: z.object({
    ...base,
    ...mail,
    PUBLIC_BASE_URL: z.url(),
    BEREDNINGSGRUPP: beredningsgrupp,
    FORBUNDSCHEF_EMAIL: z.email(),
    KANSLI_EMAIL: z.email(),
    // Invitations are kept as sent (without their links) among the handlingar's files.
    INBOUND_BUCKET: z.string().min(1),
    AWS_REGION: z.string().min(1),
    ...retention,
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
    ...mail,
    KANSLI_EMAIL: z.email(),
    INBOUND_BUCKET: z.string().min(1),
    // As for beslut: the document writer signs its own request, without an S3 client.
    AWS_REGION: z.string().min(1),
    BESLUT_POLICY: policy.default(DEFAULT_BESLUT_POLICY),
    ...retention,
  }),
  beslut: z.object({
    ...base,
    INBOUND_BUCKET: z.string().min(1),
    // The link signer signs without an S3 client, so it needs the region itself.
    AWS_REGION: z.string().min(1),
    BESLUT_POLICY: policy.default(DEFAULT_BESLUT_POLICY),
  }),
  kansli: z.object({
    ...base,
    INBOUND_BUCKET: z.string().min(1),
    AWS_REGION: z.string().min(1),
    EVENT_BUS_NAME: z.string().min(1),
    // https, except a loopback issuer (the local provider): tokens are never fetched in the clear elsewhere.
    OIDC_ISSUER: z
      .url()
      .refine(
        (u) => /^https:|^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u),
        'OIDC_ISSUER måste vara https',
      ),
    OIDC_CLIENT_ID: z.string().min(1),
    KANSLI_BASE_URL: z.url(),
    KANSLI_SESSION_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(86400)
      .default(8 * 3600),
    // A handling registered by hand files its scan among the handlingar.
    ...retention,
    BEVAKNING_RAPPORT_DAGAR: z.coerce.number().int().min(0).default(DEFAULT_BEVAKNING.rapportDagar),
    // A paper report registered by hand is read by the ingest: the request goes on its queue.
    INGEST_QUEUE_URL: z.string().min(1),
  }),
  mailHandelse: z.object({ ...base, ...mail, KANSLI_EMAIL: z.email() }),
  postlista: z.object({ ...base }),
  bevakning: z.object({
    ...base,
    ...mail,
    KANSLI_EMAIL: z.email(),
    // Reminders are kept as sent among the handlingar's files.
    INBOUND_BUCKET: z.string().min(1),
    AWS_REGION: z.string().min(1),
    ...retention,
    /** The stage config's bevakning as JSON; absent: the defaults in domain/bevakning/types.ts. */
    BEVAKNING: z
      .string()
      .optional()
      .transform((s) => (s ? (JSON.parse(s) as unknown) : {}))
      .pipe(
        z.object({
          rapportDagar: z.number().int().min(0).default(DEFAULT_BEVAKNING.rapportDagar),
          paminnelseForeDagar: z.number().int().min(0).default(DEFAULT_BEVAKNING.paminnelseForeDagar),
          paminnelseEfterDagar: z.number().int().min(0).default(DEFAULT_BEVAKNING.paminnelseEfterDagar),
          kompletteringDagar: z.number().int().min(1).default(DEFAULT_BEVAKNING.kompletteringDagar),
        }),
      ),
  }),
  reconcile: z.object({
    ...base,
    INBOUND_BUCKET: z.string().min(1),
    INGEST_QUEUE_URL: z.string().min(1),
    ...retention,
  }),
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A function's settings as name → value, as the Lambda runtime gives them in the environment. */
export type ConfigRecord = Record<string, string | undefined>;

/**
 * Parsed once per function instance (on Lambda: at cold start, from the environment); a missing or malformed
 * value stops the function before it takes any event.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: ConfigRecord): z.infer<S> {
  const r = schema.safeParse(env);
  if (!r.success) {
    throw new ConfigError(
      `Ogiltig konfiguration: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return r.data;
}

/** The mail sender's settings from a function's parsed config. */
export function mailOptions(c: {
  MAIL_FROM: string;
  MAIL_REPLY_TO: string;
  SES_CONFIGURATION_SET?: string | undefined;
}) {
  return {
    from: c.MAIL_FROM,
    replyTo: c.MAIL_REPLY_TO,
    ...(c.SES_CONFIGURATION_SET ? { configurationSet: c.SES_CONFIGURATION_SET } : {}),
  };
}
