import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { MailSender, OutgoingMail } from '../../domain/diarium/ports.js';
import { MailDeliveryError } from '../../domain/diarium/errors.js';

export interface SesMailOptions {
  /** `Display Name <address>` or a bare address (MAIL_FROM). */
  from: string;
  /** Where a reply goes when the mail names none: a receiving address of the receipt rule (MAIL_REPLY_TO). */
  replyTo: string;
  /** The configuration set whose event destination gets bounces and complaints (SES_CONFIGURATION_SET). */
  configurationSet?: string;
}

// RFC 2047 says an encoded-word is at most 75 characters; 45 bytes of UTF-8 make 60 base64 characters.
const ENCODED_WORD_BYTES = 45;

/** Splits UTF-8 bytes into chunks of at most `max` bytes without cutting a character in two. */
function utf8Chunks(s: string, max: number): Buffer[] {
  const out: Buffer[] = [];
  let current: Buffer[] = [];
  let size = 0;
  for (const ch of s) {
    const b = Buffer.from(ch, 'utf8');
    if (size + b.length > max && current.length > 0) {
      out.push(Buffer.concat(current));
      current = [];
      size = 0;
    }
    current.push(b);
    size += b.length;
  }
  if (current.length > 0) out.push(Buffer.concat(current));
  return out;
}

/**
 * A mailbox as SES's Simple content accepts it. SES takes addresses in 7-bit ASCII only: a display name with
 * å/ä/ö must be a MIME encoded-word (RFC 2047), e.g. `=?UTF-8?B?…?= <noreply@…>`, or SES rejects the call or
 * the name arrives garbled. ASCII names are quoted when they hold RFC 5322 specials.
 */
export function encodeMailbox(mailbox: string): string {
  const m = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(mailbox);
  if (!m) return mailbox.trim();
  const name = (m[1] ?? '').replace(/^"(.*)"$/, '$1').trim();
  const address = m[2]!.trim();
  if (!name) return address;
  if (/^[\x20-\x7e]*$/.test(name)) {
    const quoted = /[()<>[\]:;@\\,."]/.test(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : name;
    return `${quoted} <${address}>`;
  }
  const words = utf8Chunks(name, ENCODED_WORD_BYTES).map((b) => `=?UTF-8?B?${b.toString('base64')}?=`);
  return `${words.join(' ')} <${address}>`;
}

export class SesMailSender implements MailSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly opts: SesMailOptions,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    try {
      const r = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: encodeMailbox(this.opts.from),
          Destination: { ToAddresses: mail.to.map(encodeMailbox) },
          // Every mail gets a receiving Reply-To: the From address (noreply@) receives nothing.
          ReplyToAddresses: (mail.replyTo ?? [this.opts.replyTo]).map(encodeMailbox),
          ...(this.opts.configurationSet ? { ConfigurationSetName: this.opts.configurationSet } : {}),
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
