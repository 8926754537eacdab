import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ankomstdatum } from '../../domain/diarium/ankomstdatum.js';
import { formatSummarySv } from '../../domain/slutrapport/index.js';
import { lasRapport } from '../../domain/slutrapport/maskinlast.js';
import { klassa } from '../../domain/klassning/klassa.js';
import { innehallUrMail } from '../../domain/klassning/innehall.js';
import type { Klassning } from '../../domain/klassning/types.js';
import { DEFAULT_KANSLI_EMAIL } from '../../domain/defaults.js';
import type { ExtractionProblem } from '../../domain/extraction/types.js';
import { onOcrProgress } from '../../functions/extraction/ocr.js';
import { reportExtractor } from '../../functions/extraction/report-extractor.js';
import { oneFileArgs, parseCliArgs } from './args.js';
import { userPath } from './stack.js';

const ANVANDNING =
  'Användning: npm run --silent parse -- <fil.eml|fil.pdf|fil.docx|fil.odt|fil.txt> [--json] [--idag ÅÅÅÅ-MM-DD]';

export const HJALP = `${ANVANDNING}

Läser en slutrapport precis som systemet gör när den kommer in: text ur e-post, PDF (med OCR för
skannade sidor), Word eller text, och därefter rapportens fält, fel och varningar. Ur ett .eml väljs
rapporten bland bilagorna och brödtexten som vid mottagningen. OCR visas sida för sida (på stderr).
Behöver ingen körande stack. Slutkod 0 läst, 1 om rapporten inte går att läsa, 2 om filen saknas,
64 felaktig kommandorad.

  --json             resultatet som JSON (status, klass, kalla, rapport, fel, varningar, personnummer)
  --idag ÅÅÅÅ-MM-DD  dagens datum för datumkontrollerna (standard: i dag)
  -h, --help         visa den här hjälpen`;

export interface ParseCliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  clock: () => Date;
  env?: Record<string, string | undefined>;
  /** Where relative paths are resolved (default: INIT_CWD, where `npm run` was typed). */
  cwd?: string;
}

export async function runParseCli(argv: string[], io: ParseCliIo): Promise<number> {
  const parsed = parseCliArgs(
    argv,
    { json: { type: 'boolean' }, idag: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    'npm run parse --',
  );
  const start = oneFileArgs(parsed, io, { help: HJALP, usage: ANVANDNING });
  if ('exit' in start) return start.exit;
  const { values, file } = start;
  let bytes: Buffer;
  try {
    bytes = readFileSync(userPath({ env: io.env ?? {}, cwd: io.cwd }, file));
  } catch {
    io.err(`Filen ${file} kunde inte läsas.`);
    return 2;
  }
  const fil = path.basename(file);
  const idag = values.idag ?? ankomstdatum(io.clock().toISOString());

  // An .eml is read exactly as the ingest reads a mail: the report is picked among attachments and the body.
  let text: string | null = null;
  let format: string | null = null;
  let avsandare: string | undefined;
  let problems: ExtractionProblem[] = [];
  // A mail is classified as at the ingest (without the diarium: no ärende is looked up).
  let klassning: Klassning | null = null;
  // A scan takes seconds per page: say so as it goes, instead of a long silence.
  const stopProgress = onOcrProgress(({ done, total }) => {
    io.err(
      done === 0
        ? `OCR: ${total} ${total === 1 ? 'sida' : 'sidor'} att läsa …`
        : `OCR: sida ${done} av ${total} läst.`,
    );
  });
  try {
    if (/\.eml$/i.test(fil)) {
      const mail = await reportExtractor.extractMail(bytes);
      klassning = klassa({
        header: mail.headers,
        from: mail.from?.address ?? null,
        envelopeFrom: mail.envelopeFrom,
        subject: mail.subject,
        spam: mail.verdicts.spam === 'FAIL',
        innehall: innehallUrMail(mail, { arendeReferens: null, svarPaVartMail: false }),
        egnaAdresser: [DEFAULT_KANSLI_EMAIL],
      });
      text = mail.report?.text ?? null;
      format = mail.report?.format ?? null;
      avsandare = mail.from?.address;
      problems = mail.problems;
    } else {
      const doc = await reportExtractor.extractDocument(bytes, fil);
      text = doc.text;
      format = doc.format;
      problems = doc.problems;
    }
  } finally {
    stopProgress();
  }

  const { result, maskinlast, kontrollera } = lasRapport(text, format, { idag });
  const fel = [
    ...problems.map((p) => ({ kod: p.kod, falt: 'dokument', meddelande: p.meddelande })),
    // One cause, one message: a reading problem already says why no text was read.
    ...result.fel.filter((f) => problems.length === 0 || f.kod !== 'OLASBAR'),
  ];
  const status = result.status;
  if (values.json) {
    io.out(
      JSON.stringify(
        {
          status,
          ...(klassning ? { klass: klassning.klass, klassorsak: klassning.orsak } : {}),
          ...(maskinlast ? { maskinlast, kontrollera } : {}),
          kalla: { fil, format: format ?? 'okant', ...(avsandare ? { avsandare } : {}) },
          rapport: result.rapport,
          fel,
          varningar: result.varningar,
          personnummer: result.personnummer.map((p) => ({ maskerat: p.maskerat, avsnitt: p.avsnitt })),
        },
        null,
        2,
      ),
    );
  } else {
    io.out(`Fil: ${fil} (${format ?? 'okänt format'})${avsandare ? `, från ${avsandare}` : ''}`);
    if (klassning) io.out(`Klass: ${klassning.klass} – ${klassning.orsak}`);
    for (const k of kontrollera) io.out(`Maskinläst – kontrollera: ${k}`);
    for (const p of problems) io.out(`Problem med filen: ${p.meddelande}`);
    io.out(formatSummarySv(result));
  }
  return status === 'olasbar' ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runParseCli(process.argv.slice(2), {
    out: (t) => console.log(t),
    err: (t) => console.error(t),
    clock: () => new Date(),
    env: process.env,
  });
  // OCR workers and pdf.js may keep handles open; the answer is printed, so end here.
  process.exit(code);
}
