import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ankomstdatum } from '../../domain/diarium/ankomstdatum.js';
import { formatSummarySv, readSlutrapport } from '../../domain/slutrapport/index.js';
import type { ExtractionProblem } from '../../domain/extraction/types.js';
import { reportExtractor } from '../../functions/extraction/report-extractor.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: 'boolean', default: false }, idag: { type: 'string' } },
});
const file = positionals[0];
if (!file) {
  console.error(
    'Användning: npm run --silent parse -- <fil.eml|fil.pdf|fil.docx|fil.odt|fil.txt> [--json] [--idag ÅÅÅÅ-MM-DD]',
  );
  process.exit(2);
}
let bytes: Buffer;
try {
  bytes = readFileSync(file);
} catch {
  console.error(`Filen ${file} kunde inte läsas.`);
  process.exit(2);
}
const fil = path.basename(file);
const idag = values.idag ?? ankomstdatum(new Date().toISOString());

// An .eml is read exactly as the ingest reads a mail: the report is picked among attachments and the body.
let text: string | null = null;
let format: string | null = null;
let avsandare: string | undefined;
let problems: ExtractionProblem[] = [];
if (/\.eml$/i.test(fil)) {
  const mail = await reportExtractor.extractMail(bytes);
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

const result = readSlutrapport(text, { idag });
const fel = [
  ...problems.map((p) => ({ kod: p.kod, falt: 'dokument', meddelande: p.meddelande })),
  ...result.fel,
];
const status = result.status;
if (values.json) {
  console.log(
    JSON.stringify(
      {
        status,
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
  console.log(`Fil: ${fil} (${format ?? 'okänt format'})${avsandare ? `, från ${avsandare}` : ''}`);
  for (const p of problems) console.log(`Problem med filen: ${p.meddelande}`);
  console.log(formatSummarySv(result));
}
// OCR workers and pdf.js may keep handles open; the answer is printed, so end here.
process.exit(status === 'olasbar' ? 1 : 0);
