import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { LocalStack, IngestStatus } from '../../local/aws/stack.js';

export interface OutboxMail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

export async function outbox(stack: LocalStack): Promise<OutboxMail[]> {
  const r = await fetch(`${stack.urls.outbox}store`);
  const json = (await r.json()) as { emails: OutboxMail[] };
  return json.emails;
}

/** Polls until the probe returns a value (not a timing assertion: a generous ceiling only). */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error('Väntade förgäves');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function waitForOutcome(stack: LocalStack, key: string, timeoutMs = 60_000): Promise<IngestStatus> {
  return waitFor(() => Promise.resolve(stack.outcomes.get(key)), timeoutMs);
}

export interface TestMail {
  from: string;
  to?: string;
  subject?: string;
  text?: string;
  html?: string;
  attachments?: { filename: string; content: Buffer | string; contentType?: string }[];
  receivedAt?: string;
  headers?: Record<string, string>;
  messageId?: string;
}

export async function composeMail(m: TestMail): Promise<Buffer> {
  return new MailComposer({
    from: m.from,
    to: m.to ?? 'kontakt@finsamgavleborg.se',
    subject: m.subject ?? 'Slutrapport',
    text: m.text ?? 'Hej! Här kommer vår slutrapport.',
    ...(m.html ? { html: m.html } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.messageId ? { messageId: m.messageId } : {}),
    headers: { ...(m.receivedAt ? { 'X-Rapportflode-Mottagen': m.receivedAt } : {}), ...m.headers },
  })
    .compile()
    .build();
}

/** Sends over SMTP to the local SES inbound stand-in; returns the inbound bucket key. */
export async function sendRaw(
  stack: LocalStack,
  raw: Buffer,
  from: string,
  to = 'kontakt@finsamgavleborg.se',
): Promise<string> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: stack.ports.smtp,
    secure: false,
    ignoreTLS: true,
  });
  const info = (await transport.sendMail({ envelope: { from, to: [to] }, raw })) as { response: string };
  transport.close();
  const key = /queued as (\S+)/.exec(info.response)?.[1];
  if (!key) throw new Error(`Oväntat svar: ${info.response}`);
  return key;
}

export async function sendMail(stack: LocalStack, m: TestMail): Promise<string> {
  return sendRaw(stack, await composeMail(m), m.from, m.to);
}
