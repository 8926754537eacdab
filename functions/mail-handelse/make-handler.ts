import middy from '@middy/core';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { tracer } from '../runtime/tracer.js';
import {
  hanteraMailHandelse,
  type MailHandelse,
  type MailHandelseDeps,
  type MailHandelseUtfall,
} from '../../domain/diarium/mail-handelse.js';
import { EMAIL_BOUNCED, sesMailEventSchema, type SesMailEvent } from '../../events/ses-mail-event.js';

/** The bounce or complaint as the use case takes it. */
export function mailHandelseFrom(e: SesMailEvent): MailHandelse {
  if (e['detail-type'] === EMAIL_BOUNCED) {
    const b = e.detail.bounce;
    const diagnos = b.bouncedRecipients
      .map((r) => r.diagnosticCode ?? r.status)
      .filter((d): d is string => Boolean(d));
    return {
      typ: 'studs',
      meddelandeId: e.detail.mail.messageId,
      mottagare: b.bouncedRecipients.map((r) => r.emailAddress),
      orsak: [`${b.bounceType}/${b.bounceSubType}`, ...diagnos].join(': '),
    };
  }
  const c = e.detail.complaint;
  return {
    typ: 'klagomal',
    meddelandeId: e.detail.mail.messageId,
    mottagare: c.complainedRecipients.map((r) => r.emailAddress),
    orsak: c.complaintFeedbackType ?? 'skräppost',
  };
}

/** Notes an SES bounce or complaint on the handling its mail concerned and tells the kansli once. */
export function makeHandler(deps: MailHandelseDeps) {
  return middy(async (event: unknown): Promise<{ status: MailHandelseUtfall }> => {
    const e = sesMailEventSchema.parse(event);
    const status = await hanteraMailHandelse(deps, mailHandelseFrom(e));
    deps.log('info', 'SES-händelse', { id: e.id, typ: e['detail-type'], status });
    return { status };
  }).use(captureLambdaHandler(tracer, { captureResponse: false }));
}
