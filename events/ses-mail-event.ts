import * as z from 'zod';

/**
 * SES's bounce and complaint events as its EventBridge event destination publishes them on the default bus:
 * source `aws.ses`, detail-type "Email Bounced" / "Email Complaint Received", and as detail the same event
 * record SES publishes to its other destinations (eventType, mail, bounce or complaint).
 */
export const SES_EVENT_SOURCE = 'aws.ses';
export const EMAIL_BOUNCED = 'Email Bounced';
export const EMAIL_COMPLAINT_RECEIVED = 'Email Complaint Received';
/** The tag SES puts on every event of a mail sent through a configuration set. */
export const CONFIGURATION_SET_TAG = 'ses:configuration-set';

const mailSchema = z.object({
  messageId: z.string().min(1),
  timestamp: z.string(),
  source: z.string(),
  destination: z.array(z.string()),
  tags: z.record(z.string(), z.array(z.string())).optional(),
});

const bounceSchema = z.object({
  bounceType: z.string(),
  bounceSubType: z.string(),
  bouncedRecipients: z.array(
    z.object({
      emailAddress: z.string(),
      action: z.string().optional(),
      status: z.string().optional(),
      diagnosticCode: z.string().optional(),
    }),
  ),
  timestamp: z.string(),
  feedbackId: z.string(),
});

const complaintSchema = z.object({
  complainedRecipients: z.array(z.object({ emailAddress: z.string() })),
  timestamp: z.string(),
  feedbackId: z.string(),
  complaintFeedbackType: z.string().optional(),
});

const envelope = { id: z.string().min(1), source: z.literal(SES_EVENT_SOURCE), time: z.string() };

export const sesMailEventSchema = z.discriminatedUnion('detail-type', [
  z.object({
    ...envelope,
    'detail-type': z.literal(EMAIL_BOUNCED),
    detail: z.object({ eventType: z.literal('Bounce'), mail: mailSchema, bounce: bounceSchema }),
  }),
  z.object({
    ...envelope,
    'detail-type': z.literal(EMAIL_COMPLAINT_RECEIVED),
    detail: z.object({ eventType: z.literal('Complaint'), mail: mailSchema, complaint: complaintSchema }),
  }),
]);
export type SesMailEvent = z.infer<typeof sesMailEventSchema>;

/** The rule's pattern: bounces and complaints of mail sent through the one configuration set. */
export function sesMailEventPattern(configurationSet: string) {
  return {
    source: [SES_EVENT_SOURCE],
    detailType: [EMAIL_BOUNCED, EMAIL_COMPLAINT_RECEIVED],
    detail: { mail: { tags: { [CONFIGURATION_SET_TAG]: [configurationSet] } } },
  };
}
