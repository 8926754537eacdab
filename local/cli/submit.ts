import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string', default: 'insatsagare@kommun.example' },
    to: { type: 'string', default: 'kontakt@finsamgavleborg.se' },
    subject: { type: 'string' },
    'received-at': { type: 'string' },
    smtp: { type: 'string', default: process.env['SMTP_URL'] ?? 'smtp://127.0.0.1:2525' },
    http: { type: 'string', default: process.env['RAPPORTFLODE_URL'] ?? 'http://127.0.0.1:3000' },
    json: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '120' },
  },
});

const file = positionals[0];
if (!file) {
  console.error(
    'Användning: npm run submit -- <fil.eml|fil.pdf|fil.docx|fil.txt> [--from ADRESS] [--received-at ISO-8601] [--json]',
  );
  process.exit(2);
}

const bytes = readFileSync(file);
const name = path.basename(file);
const extra: Record<string, string> = {};
if (values['received-at']) {
  const d = new Date(values['received-at']);
  if (Number.isNaN(d.getTime())) {
    console.error(
      `Ogiltig tidpunkt för --received-at: ${values['received-at']} (använd ISO-8601, t.ex. 2026-11-23T23:59:59+01:00)`,
    );
    process.exit(2);
  }
  extra['X-Rapportflode-Mottagen'] = d.toISOString();
}

let raw: Buffer;
if (/\.eml$/i.test(name)) {
  // An .eml goes as it is; only the local receipt-time override is put in front.
  raw = Buffer.concat([
    Buffer.from(
      Object.entries(extra)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join(''),
    ),
    bytes,
  ]);
} else {
  raw = await new MailComposer({
    from: values.from,
    to: values.to,
    subject: values.subject ?? `Slutrapport – ${name}`,
    text: /\.txt$/i.test(name)
      ? bytes.toString('utf8')
      : 'Hej!\n\nHär kommer vår slutrapport.\n\nVänliga hälsningar',
    ...(/\.txt$/i.test(name) ? {} : { attachments: [{ filename: name, content: bytes }] }),
    headers: extra,
  })
    .compile()
    .build();
}

const transport = nodemailer.createTransport({ url: values.smtp } as never);
const info = (await transport.sendMail({
  envelope: { from: values.from, to: [values.to] },
  raw,
})) as { response: string };
const key = /queued as (\S+)/.exec(info.response)?.[1];
if (!key) {
  console.error(`Servern tog emot meddelandet men gav ingen nyckel: ${info.response}`);
  process.exit(1);
}
const until = Date.now() + Number(values.timeout) * 1000;
while (Date.now() < until) {
  const r = await fetch(`${values.http}/lokal/status?nyckel=${encodeURIComponent(key)}`);
  if (r.ok) {
    const s = (await r.json()) as { diarienummer: string; status: string; kvittens: string };
    if (values.json) console.log(JSON.stringify({ diarienummer: s.diarienummer, status: s.status }));
    else console.log(`Diariefört som ${s.diarienummer} (${s.status}). Kvittens: ${s.kvittens}.`);
    process.exit(0);
  }
  await new Promise((res) => setTimeout(res, 100));
}
console.error(`Ingen registrering inom ${values.timeout} s för ${key}. Kör den lokala miljön (npm start)?`);
process.exit(1);
