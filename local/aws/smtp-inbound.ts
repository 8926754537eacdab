import { rawMailKey } from '../../events/storage-layout.js';
import { randomBytes } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { addSesReceiptHeaders } from './ses-inbound.js';
import type { Defer } from './lifecycle.js';
import type { Reservation } from './ports.js';

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

/** SES inbound stand-in: an SMTP server whose every message lands in the inbound bucket. */
export async function startSmtpInbound(opts: {
  reservation: Reservation;
  s3: S3Client;
  bucket: string;
  defer: Defer;
}): Promise<string> {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: 40 * 1024 * 1024,
    banner: 'Rapportflöde lokal SES inbound',
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
