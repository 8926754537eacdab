import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { MailSender, OutgoingMail } from '../../domain/diarium/ports.js';
import { MailDeliveryError } from '../../domain/diarium/errors.js';

export class SesMailSender implements MailSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    try {
      const r = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: mail.to },
          ...(mail.replyTo ? { ReplyToAddresses: mail.replyTo } : {}),
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: mail.text, Charset: 'UTF-8' },
                Html: { Data: mail.html, Charset: 'UTF-8' },
              },
            },
          },
        }),
      );
      return { messageId: r.MessageId ?? 'okant' };
    } catch (err) {
      throw new MailDeliveryError(`Kunde inte skicka e-post till ${mail.to.length} mottagare`, {
        cause: err,
      });
    }
  }
}
