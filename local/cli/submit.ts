import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { oneFileArgs, parseCliArgs } from './args.js';

const DEFAULTS = {
  from: 'insatsagare@kommun.example',
  to: 'kontakt@finsamgavleborg.se',
  smtp: 'smtp://127.0.0.1:2525',
  http: 'http://127.0.0.1:3000',
  timeout: '120',
};

const ANVANDNING =
  'Användning: npm run submit -- <fil.eml|fil.pdf|fil.docx|fil.txt> [--from ADRESS] [--received-at ISO-8601] [--json]';

export const HJALP = `${ANVANDNING}

Skickar en rapport till den lokala miljön som e-post (SMTP) och väntar tills den är diarieförd. Ett .eml
skickas som det är; en annan fil blir bilaga till ett nytt brev (en .txt blir brevets text).

  --from ADRESS            avsändare (standard ${DEFAULTS.from})
  --to ADRESS              mottagare (standard ${DEFAULTS.to})
  --subject TEXT           ämnesrad (standard "Slutrapport – <filnamn>"; inte för .eml)
  --received-at TIDPUNKT   mottagningstid att låtsas, ISO-8601 med tidszon (t.ex. 2026-11-23T23:59:59+01:00)
  --smtp URL               SMTP-servern (standard ${DEFAULTS.smtp} eller SMTP_URL)
  --http URL               den lokala miljöns webb (standard ${DEFAULTS.http} eller RAPPORTFLODE_URL)
  --timeout SEKUNDER       hur länge diarieföringen väntas in (standard ${DEFAULTS.timeout})
  --json                   svaret som JSON (diarienummer, status)
  -h, --help               visa den här hjälpen`;

export interface SubmitIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

export async function runSubmit(argv: string[], io: SubmitIo): Promise<number> {
  const parsed = parseCliArgs(
    argv,
    {
      from: { type: 'string', default: DEFAULTS.from },
      to: { type: 'string', default: DEFAULTS.to },
      subject: { type: 'string' },
      'received-at': { type: 'string' },
      smtp: { type: 'string', default: io.env['SMTP_URL'] ?? DEFAULTS.smtp },
      http: { type: 'string', default: io.env['RAPPORTFLODE_URL'] ?? DEFAULTS.http },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string', default: DEFAULTS.timeout },
      help: { type: 'boolean', short: 'h' },
    },
    'npm run submit --',
  );
  const start = oneFileArgs(parsed, io, { help: HJALP, usage: ANVANDNING });
  if ('exit' in start) return start.exit;
  const { values, file } = start;

  const bytes = readFileSync(file);
  const name = path.basename(file);
  const extra: Record<string, string> = {};
  if (values['received-at']) {
    const d = new Date(values['received-at']);
    if (Number.isNaN(d.getTime())) {
      io.err(
        `Ogiltig tidpunkt för --received-at: ${values['received-at']} (använd ISO-8601, t.ex. 2026-11-23T23:59:59+01:00)`,
      );
      return 2;
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
    io.err(`Servern tog emot meddelandet men gav ingen nyckel: ${info.response}`);
    return 1;
  }
  const until = Date.now() + Number(values.timeout) * 1000;
  while (Date.now() < until) {
    const r = await fetch(`${values.http}/lokal/status?nyckel=${encodeURIComponent(key)}`);
    if (r.ok) {
      const s = (await r.json()) as { diarienummer: string; status: string; kvittens: string };
      if (values.json) io.out(JSON.stringify({ diarienummer: s.diarienummer, status: s.status }));
      else io.out(`Diariefört som ${s.diarienummer} (${s.status}). Kvittens: ${s.kvittens}.`);
      return 0;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  io.err(`Ingen registrering inom ${values.timeout} s för ${key}. Kör den lokala miljön (npm start)?`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runSubmit(process.argv.slice(2), {
    out: (t) => console.log(t),
    err: (t) => console.error(t),
    env: process.env,
  });
  // The SMTP transport may keep its connection open; the answer is printed, so end here.
  process.exit(code);
}
