import { DEFAULT_BEVAKNING } from '../../domain/bevakning/types.js';
import { z } from 'zod';
import { DEFAULT_BESLUT_POLICY, DEFAULT_SERIE } from '../../domain/defaults.js';

/**
 * Regions where Amazon SES *receives* mail (has an `inbound-smtp.<region>.amazonaws.com` endpoint).
 *
 * Source: AWS General Reference, "Amazon Simple Email Service endpoints and quotas", table
 * "Email receiving endpoints" (https://docs.aws.amazon.com/general/latest/gr/ses.html#ses_inbound_endpoints),
 * as copied in a January 2024 snapshot: us-east-1, us-east-2, us-west-2, ap-southeast-3, ap-southeast-1,
 * ap-southeast-2, ap-northeast-1, ca-central-1, eu-central-1, eu-west-1, eu-west-2.
 * eu-north-1 (Stockholm) is not in that table. Some projects point MX records at inbound-smtp.eu-north-1, but
 * that could not be verified against the AWS table from here, so it is deliberately NOT in this list: add a
 * region only after checking the table above (receipt rules created in a non-receiving region deploy fine and
 * never get mail).
 */
export const SES_RECEIVING_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-northeast-1',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
] as const;

/** The MX target for a receiving region (documented in docs/deploy.md). */
export function inboundSmtpEndpoint(region: string): string {
  return `inbound-smtp.${region}.amazonaws.com`;
}

const email = z.email();
/** `Display Name <addr@domain>` or a bare address. */
const mailbox = z.string().refine((value) => {
  const match = /^(?:[^<>]+<([^<>]+)>|([^<>\s]+))$/.exec(value.trim());
  const address = match?.[1] ?? match?.[2];
  return address !== undefined && email.safeParse(address).success;
}, 'expected "Namn <adress@doman>" or an e-mail address');

const person = z.object({ namn: z.string().min(1), epost: email });

export const beredningsgruppMedlemSchema = person.extend({
  organisation: z.string().min(1),
  ersattare: person.optional(),
});
export type BeredningsgruppMedlem = z.infer<typeof beredningsgruppMedlemSchema>;

export const beslutPolicySchema = z.discriminatedUnion('typ', [
  z.object({ typ: z.literal('forsta') }),
  z.object({ typ: z.literal('kvorum'), antal: z.number().int().min(1) }),
]);
export type BeslutPolicy = z.infer<typeof beslutPolicySchema>;

const seconds = z
  .number()
  .int()
  .min(60)
  // Step Functions Standard executions run at most one year.
  .max(365 * 24 * 3600);

export const stageConfigSchema = z
  .object({
    stage: z.enum(['lokal', 'prod']),
    account: z
      .string()
      .regex(/^\d{12}$/)
      .optional(),
    region: z.string().min(1),
    domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/),
    recipients: z.array(email).min(1),
    mailFrom: mailbox,
    /** The Reply-To of every mail we send: one of `recipients`, so a reply reaches the diarium (From is noreply@). */
    replyTo: email,
    kansliEmail: email,
    forbundschefEmail: email,
    alarmEmail: email.optional(),
    beredningsgrupp: z.array(beredningsgruppMedlemSchema).min(1),
    /** Members currently away (e-mail addresses); their ersättare get the links. Changed by redeploying the config. */
    franvarande: z.array(email).default([]),
    beslutPolicy: beslutPolicySchema,
    granskning: z.object({ svarstid: seconds, paminnelse: seconds, eskalering: seconds }),
    linkTtlSeconds: seconds,
    diariumSerie: z.string().regex(/^[A-ZÅÄÖ]{2,6}$/),
    objectLockRetentionDays: z.number().int().min(1).max(36500),
    /** Days AWS Backup keeps each daily backup of the diarium table (also the vault lock's minimum retention). */
    backupRetentionDays: z.number().int().min(1).max(36500),
    logRetentionDays: z.union([
      z.literal(30),
      z.literal(60),
      z.literal(90),
      z.literal(180),
      z.literal(365),
      z.literal(400),
      z.literal(545),
      z.literal(731),
      z.literal(1827),
      z.literal(3653),
    ]),
    publicBaseUrl: z.url({ protocol: /^https$/ }).optional(),
    /**
     * Federation of the kansli's login with the förbund's Microsoft Entra ID (docs/deploy.md): the tenant, the
     * app registration's client id, and the name of the Secrets Manager secret holding its client secret.
     */
    entraId: z
      .object({
        tenantId: z.uuid(),
        clientId: z.uuid(),
        clientSecretName: z.string().regex(/^[\w/+=.@-]{1,512}$/),
      })
      .optional(),
    /** When slutrapporter are due and when reminders go (domain/bevakning; docs/bevakning.md). */
    bevakning: z
      .object({
        rapportDagar: z.number().int().min(0),
        paminnelseForeDagar: z.number().int().min(0),
        paminnelseEfterDagar: z.number().int().min(0),
        kompletteringDagar: z.number().int().min(1),
      })
      .default(DEFAULT_BEVAKNING),
  })
  .superRefine((config, ctx) => {
    // Alarms (DLQs, KMS key tampering, SES reputation) that reach nobody are no alarms.
    if (config.stage === 'prod' && config.alarmEmail === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['alarmEmail'],
        message:
          'prod kräver alarmEmail (mottagare av larmen): ange den med -c config=\'{"alarmEmail":"kansli@…"}\' ' +
          '(docs/deploy.md), eller syntetisera stage lokal',
      });
    }
    if (!(SES_RECEIVING_REGIONS as readonly string[]).includes(config.region)) {
      ctx.addIssue({
        code: 'custom',
        path: ['region'],
        message: `SES does not receive e-mail in ${config.region}; use one of ${SES_RECEIVING_REGIONS.join(', ')}`,
      });
    }
    for (const [i, recipient] of config.recipients.entries()) {
      if (!recipient.endsWith(`@${config.domain}`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['recipients', i],
          message: `recipient ${recipient} is not in the domain ${config.domain}`,
        });
      }
    }
    if (!config.recipients.includes(config.replyTo)) {
      ctx.addIssue({
        code: 'custom',
        path: ['replyTo'],
        message: `replyTo ${config.replyTo} is not one of the receipt rule's recipients; replies would go nowhere`,
      });
    }
    if (config.beslutPolicy.typ === 'kvorum' && config.beslutPolicy.antal > config.beredningsgrupp.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['beslutPolicy', 'antal'],
        message: 'kvorum is larger than the beredningsgrupp',
      });
    }
    // The review link must outlive the whole granskning (answer + reminder + escalation).
    const total = config.granskning.svarstid + config.granskning.paminnelse + config.granskning.eskalering;
    if (config.linkTtlSeconds < total) {
      ctx.addIssue({
        code: 'custom',
        path: ['linkTtlSeconds'],
        message: `linkTtlSeconds (${config.linkTtlSeconds}) is shorter than the granskning (${total})`,
      });
    }
  });

export type StageConfig = z.infer<typeof stageConfigSchema>;
export type StageName = StageConfig['stage'];

const DAY = 24 * 3600;

// Synthetic people only: the real beredningsgrupp is configured at deployment (docs/deploy.md).
const beredningsgrupp: BeredningsgruppMedlem[] = [
  {
    namn: 'Maria Exempelsson',
    epost: 'maria.exempelsson@ovanaker.example',
    organisation: 'Ovanåkers kommun',
    ersattare: { namn: 'Per Testberg', epost: 'per.testberg@ovanaker.example' },
  },
  {
    namn: 'Karin Prövare',
    epost: 'karin.provare@forsakringskassan.example',
    organisation: 'Försäkringskassan',
  },
  {
    namn: 'Johan Demosson',
    epost: 'johan.demosson@arbetsformedlingen.example',
    organisation: 'Arbetsförmedlingen',
  },
  {
    namn: 'Lena Fiktiv',
    epost: 'lena.fiktiv@regiongavleborg.example',
    organisation: 'Region Gävleborg',
    ersattare: { namn: 'Anders Påhittad', epost: 'anders.pahittad@regiongavleborg.example' },
  },
];

const common = {
  domain: 'finsamgavleborg.se',
  recipients: ['kontakt@finsamgavleborg.se', 'slutrapport@finsamgavleborg.se'],
  mailFrom: 'Rapportflöde <noreply@finsamgavleborg.se>',
  replyTo: 'kontakt@finsamgavleborg.se',
  kansliEmail: 'kansli@finsamgavleborg.se',
  forbundschefEmail: 'forbundschef@finsamgavleborg.se',
  beredningsgrupp,
  beslutPolicy: DEFAULT_BESLUT_POLICY,
  diariumSerie: DEFAULT_SERIE,
} as const;

/** Raw stage definitions; validated by {@link loadStageConfig}. */
export const STAGES: Record<StageName, unknown> = {
  lokal: {
    ...common,
    stage: 'lokal',
    region: 'eu-west-1',
    // Short enough to watch a reminder and an escalation happen locally.
    granskning: { svarstid: 300, paminnelse: 120, eskalering: 120 },
    linkTtlSeconds: 3600,
    objectLockRetentionDays: 1,
    backupRetentionDays: 7,
    logRetentionDays: 30,
  },
  prod: {
    ...common,
    stage: 'prod',
    region: 'eu-west-1',
    granskning: { svarstid: 14 * DAY, paminnelse: 5 * DAY, eskalering: 5 * DAY },
    linkTtlSeconds: 30 * DAY,
    // Governance-mode retention: long enough to cover the archive's review, shorter than forever.
    objectLockRetentionDays: 3653,
    // AWS Backup's daily backups, beside the table's 35 days of point-in-time recovery.
    backupRetentionDays: 35,
    logRetentionDays: 365,
  },
};

/**
 * Returns the validated configuration of a stage; `overrides` (e.g. from `-c config={...}`) are merged on top.
 * Throws with every problem listed when the configuration is invalid, so a bad config stops synth.
 */
export function loadStageConfig(stage: string, overrides: Record<string, unknown> = {}): StageConfig {
  const stageName = z.enum(['lokal', 'prod']).safeParse(stage);
  if (!stageName.success) {
    throw new Error(`Unknown stage "${stage}"; expected one of ${Object.keys(STAGES).join(', ')}`);
  }
  const raw = STAGES[stageName.data];
  const base = z.record(z.string(), z.unknown()).parse(raw);
  const parsed = stageConfigSchema.safeParse({ ...base, ...overrides });
  if (!parsed.success) {
    throw new Error(`Invalid configuration for stage "${stage}":\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
