import { rawMailKey } from '../../events/storage-layout.js';
import { randomBytes } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { addSesReceiptHeaders } from './ses-inbound.js';
import type { Defer } from './lifecycle.js';
import type { Reservation } from './ports.js';
import { z } from 'zod';
import type { Template } from './synth.js';

const receiptRuleSchema = z.object({
  Type: z.literal('AWS::SES::ReceiptRule'),
  Properties: z.object({
    Rule: z.object({ Enabled: z.boolean().optional(), Recipients: z.array(z.string()).optional() }),
  }),
});

/**
 * The recipients the synthesized receipt rules list: what SES receives mail for. `null` when a rule lists none,
 * which in SES means every address of the verified domains.
 */
export function receiptRecipients(statefulTemplate: Template): string[] | null {
  const out: string[] = [];
  for (const r of Object.values(statefulTemplate.Resources)) {
    const rule = receiptRuleSchema.safeParse(r);
    if (!rule.success || rule.data.Properties.Rule.Enabled === false) continue;
    const recipients = rule.data.Properties.Rule.Recipients ?? [];
    if (recipients.length === 0) return null;
    out.push(...recipients.map((x) => x.toLowerCase()));
  }
  return out;
}

/** A recipient condition as SES matches it: an address, a domain, or (leading dot) its subdomains. */
export function ruleAccepts(recipients: string[] | null, address: string): boolean {
  if (recipients === null) return true;
  const a = address.toLowerCase();
  const domain = a.split('@')[1] ?? '';
  return recipients.some((r) =>
    r.includes('@') ? r === a : r.startsWith('.') ? domain.endsWith(r) : domain === r,
  );
}

/** What the SMTP stand-in answers for an address no receipt rule lists (as SES's bounce of a mailbox). */
export const MAILBOX_DOES_NOT_EXIST = '5.1.1 Mailbox does not exist';

/** Stores one received message as SES receipt does: raw MIME with SES's headers, under raw/<id>. */
async function storeRaw(s3: S3Client, bucket: string, data: Buffer, session: SMTPServerSession) {
  const id = randomBytes(20).toString('hex');
  const raw = addSesReceiptHeaders(data, {
    id,
    mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    rcptTo: session.envelope.rcptTo.map((r) => r.address),
    remoteAddress: session.remoteAddress,
    clientHostname: session.clientHostname,
  });
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: rawMailKey(id), Body: raw, ContentType: 'message/rfc822' }),
  );
  return id;
}

/**
 * SES inbound stand-in: an SMTP server that takes mail only for the receipt rule's recipients (others get
 * `550 5.1.1`, so a test cannot pass on mail production would refuse), and lands every message in the bucket.
 */
export async function startSmtpInbound(opts: {
  reservation: Reservation;
  s3: S3Client;
  bucket: string;
  /** From {@link receiptRecipients} of the synthesized stateful template. */
  recipients: string[] | null;
  defer: Defer;
}): Promise<string> {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: 40 * 1024 * 1024,
    banner: 'Rapportflöde lokal SES inbound',
    onRcptTo(address, _session, callback) {
      if (ruleAccepts(opts.recipients, address.address)) {
        callback();
        return;
      }
      callback(Object.assign(new Error(MAILBOX_DOES_NOT_EXIST), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        storeRaw(opts.s3, opts.bucket, Buffer.concat(chunks), session).then(
          (id) => callback(null, `Ok: queued as ${rawMailKey(id)}`),
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
      });
    },
  });
  const { port } = opts.reservation;
  await opts.reservation.release();
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', () => resolve()));
  opts.defer(() => new Promise<void>((r) => smtp.close(() => r())));
  return `smtp://127.0.0.1:${port}`;
}
