import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { oneFileArgs, parseCliArgs } from './args.js';
import { isConnectionError } from './diarium/io.js';
import { notRunning, runningStack, userPath } from './stack.js';
import { parseMoment } from './stockholm-time.js';

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
  --received-at TIDPUNKT   mottagningstid att låtsas, ISO-8601 (t.ex. 2026-11-23T23:59:59); utan tidszon
                           räknas den som svensk tid (Europe/Stockholm), annars som angiven (+01:00, Z)
  --smtp URL               SMTP-servern (standard: den lokala stackens, ur .data/stack.json; annars
                           SMTP_URL eller ${DEFAULTS.smtp})
  --http URL               den lokala miljöns webb (standard: ur .data/stack.json; annars
                           RAPPORTFLODE_URL eller ${DEFAULTS.http})
  --timeout SEKUNDER       hur länge utan framsteg diarieföringen väntas in (standard ${DEFAULTS.timeout});
                           så länge registreringen går framåt (t.ex. OCR sida för sida) väntar submit

Flaggor går före miljövariabler, som går före .data/stack.json. Slutkod 0 diarieförd, 1 ingen
registrering, 2 filen saknas eller den lokala stacken svarar inte, 64 felaktig kommandorad.
  --json                   svaret som JSON (diarienummer, status)
  -h, --help               visa den här hjälpen`;

export interface SubmitIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Where relative paths are resolved (default: INIT_CWD, where `npm run` was typed). */
  cwd?: string;
}

export async function runSubmit(argv: string[], io: SubmitIo): Promise<number> {
  // Flag, then environment, then the running stack's own record, then the default ports.
  const stack = argv.some((a) => a === '--help' || a === '-h') ? null : runningStack(io.env);
  const parsed = parseCliArgs(
    argv,
    {
      from: { type: 'string', default: DEFAULTS.from },
      to: { type: 'string', default: DEFAULTS.to },
      subject: { type: 'string' },
      'received-at': { type: 'string' },
      smtp: { type: 'string', default: io.env['SMTP_URL'] ?? stack?.smtp ?? DEFAULTS.smtp },
      http: { type: 'string', default: io.env['RAPPORTFLODE_URL'] ?? stack?.http ?? DEFAULTS.http },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string', default: DEFAULTS.timeout },
      help: { type: 'boolean', short: 'h' },
    },
    'npm run submit --',
  );
  const start = oneFileArgs(parsed, io, { help: HJALP, usage: ANVANDNING });
  if ('exit' in start) return start.exit;
  const { values, file } = start;

  let bytes: Buffer;
  try {
    bytes = readFileSync(userPath(io, file));
  } catch {
    io.err(`Filen ${file} kunde inte läsas.`);
    return 2;
  }
  const name = path.basename(file);
  const extra: Record<string, string> = {};
  if (values['received-at']) {
    const d = parseMoment(values['received-at']);
    if (!d) {
      io.err(
        `Ogiltig tidpunkt för --received-at: ${values['received-at']} (använd ISO-8601, t.ex. 2026-11-23T23:59:59 i svensk tid).`,
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
  let info: { response: string };
  try {
    info = await transport.sendMail({ envelope: { from: values.from, to: [values.to] }, raw });
  } catch (err) {
    if (isConnectionError(err)) {
      io.err(notRunning('SMTP-server', values.smtp, '--smtp'));
      return 2;
    }
    io.err(`SMTP-servern tog inte emot rapporten: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    transport.close();
  }
  const key = /queued as (\S+)/.exec(info.response)?.[1];
  if (!key) {
    io.err(`Servern tog emot meddelandet men gav ingen nyckel: ${info.response}`);
    return 1;
  }
  return awaitRegistration(key, values, io);
}

/**
 * Polls the stack's status for the stored mail: as long as the ingest reports progress (queued, reading, OCR
 * page by page) submit waits and says what it waits for; it gives up only after `--timeout` seconds in which
 * nothing moved.
 */
async function awaitRegistration(
  key: string,
  values: { http: string; timeout: string; json?: boolean | undefined },
  io: SubmitIo,
): Promise<number> {
  const stillFor = Number(values.timeout) * 1000;
  let lastChange = Date.now();
  let last = 'väntar på att rapporten tas om hand';
  io.err(`Skickad (${key}); ${last} …`);
  while (Date.now() - lastChange < stillFor) {
    let r: Response;
    try {
      r = await fetch(`${values.http}/lokal/status?nyckel=${encodeURIComponent(key)}`);
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      io.err(notRunning('webb', values.http, '--http'));
      return 2;
    }
    if (r.status === 200) {
      const s = (await r.json()) as { diarienummer: string; status: string; kvittens: string };
      if (values.json) io.out(JSON.stringify({ diarienummer: s.diarienummer, status: s.status }));
      else io.out(`Diariefört som ${s.diarienummer} (${s.status}). Kvittens: ${s.kvittens}.`);
      return 0;
    }
    if (r.status === 202) {
      const p = (await r.json()) as { text: string; gaveUp?: boolean };
      if (p.gaveUp) {
        io.err(`Ingen registrering för ${key}: ingesten ${p.text}.`);
        return 1;
      }
      if (p.text !== last) {
        last = p.text;
        lastChange = Date.now();
        io.err(`Väntar på registreringen: ${p.text} …`);
      }
    } else await r.body?.cancel();
    await new Promise((res) => setTimeout(res, 200));
  }
  io.err(
    `Ingen registrering för ${key}: inget hände på ${values.timeout} s (senast: ${last}). Se den lokala stackens fönster.`,
  );
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
