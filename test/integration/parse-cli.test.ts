import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { syntheticReportDocx } from '../support/synthetic-report.js';
import { composeMail } from '../support/local-helpers.js';
import { makeScannedPdf } from '../fixtures/extraction/generate.js';
import { KLASSER } from '../../domain/klassning/types.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const reference = path.resolve(root, '..', 'shared', 'reference');
const dir = mkdtempSync(path.join(os.tmpdir(), 'rapportflode-parse-'));

const finding = z.object({ kod: z.string(), falt: z.string(), meddelande: z.string() });
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .nullable();
/** The CLI contract of the parsing issue, as a schema: the output must match it exactly. */
const outputSchema = z.strictObject({
  status: z.enum(['komplett', 'ofullstandig', 'olasbar']),
  // A mail's class (docs/klassning.md), and a scan's fields read with doubt.
  klass: z.enum(KLASSER).optional(),
  klassorsak: z.string().optional(),
  maskinlast: z.literal(true).optional(),
  kontrollera: z.array(z.string()).optional(),
  kalla: z.strictObject({ fil: z.string(), format: z.string(), avsandare: z.string().optional() }),
  rapport: z
    .strictObject({
      diarienummer: z.string().nullable(),
      insatsnamn: z.string().nullable(),
      insatstid: z.strictObject({ start: date, slut: date }).nullable(),
      beviljadeMedel: z.number().int().nullable(),
      utnyttjadeMedel: z.number().int().nullable(),
      organisation: z.string().nullable(),
      arbetsstalle: z.string().nullable(),
      kontaktpersoner: z.array(z.string()),
      epost: z.array(z.string()),
      telefon: z.array(z.string()),
      postnummer: z.string().nullable(),
      postadress: z.string().nullable(),
      samverkansparter: z.array(z.string()),
      avsnitt: z.record(z.string(), z.string().nullable()),
      uppgiftslamnare: z.strictObject({ datum: date, namn: z.string().nullable() }).nullable(),
    })
    .nullable(),
  fel: z.array(finding),
  varningar: z.array(finding),
  personnummer: z.array(z.strictObject({ maskerat: z.string(), avsnitt: z.string() })),
});

async function parse(file: string) {
  const { stdout } = await run(
    path.join(root, 'node_modules/.bin/tsx'),
    [path.join(root, 'local/cli/parse.ts'), file, '--json', '--idag', '2026-11-23'],
    {
      cwd: root,
      timeout: 120_000,
    },
  ).catch((err: unknown) => err as { stdout: string });
  return outputSchema.parse(JSON.parse(stdout));
}

let docx: string;
let eml: string;
let scan: string;
beforeAll(async () => {
  const bytes = await syntheticReportDocx({
    insatsnamn: 'Vägen vidare Söderhamn',
    organisation: 'Söderhamns kommun',
  });
  docx = path.join(dir, 'Slutrapport Söderhamn.docx');
  writeFileSync(docx, bytes);
  eml = path.join(dir, 'inkommet.eml');
  writeFileSync(
    eml,
    await composeMail({
      from: 'Karin Exempel <karin@soderhamn.example>',
      html: '<p>Hej!</p><p>Här kommer rapporten.</p>',
      attachments: [
        { filename: 'logga.png', content: Buffer.from('89504e470d0a1a0a', 'hex') },
        { filename: 'Slutrapport Söderhamn.docx', content: bytes },
      ],
    }),
  );
  scan = path.join(dir, 'skannad.pdf');
  writeFileSync(scan, await makeScannedPdf());
});

describe('npm run parse -- <file> --json', () => {
  it('reads the Hudiksvall reference report as complete', async () => {
    const out = await parse(path.join(reference, 'slutrapport-hudiksvall-lokal-insats.txt'));
    expect(out.status).toBe('komplett');
    expect(out.rapport?.insatstid).toEqual({ start: '2021-10-01', slut: '2022-01-31' });
    expect(out.rapport?.uppgiftslamnare).toEqual({ datum: '2022-02-15', namn: 'Helena Hägg' });
  });

  it('reads the Sandviken reference report as incomplete for its missing section 8', async () => {
    const out = await parse(path.join(reference, 'slutrapport-sandviken-trisam-2.0.txt'));
    expect(out.status).toBe('ofullstandig');
    expect(out.fel.map((f) => f.falt)).toContain('uppgiftslamnare');
    expect(out.rapport?.beviljadeMedel).toBe(625000);
  });

  it('reads a Word file', async () => {
    const out = await parse(docx);
    expect(out.kalla).toEqual({ fil: 'Slutrapport Söderhamn.docx', format: 'docx' });
    expect(out.rapport?.insatsnamn).toBe('Vägen vidare Söderhamn');
    expect(out.status).toBe('komplett');
  });

  it('picks the report in an e-mail as the ingest does, past the logo', async () => {
    const out = await parse(eml);
    expect(out.kalla).toEqual({ fil: 'inkommet.eml', format: 'docx', avsandare: 'karin@soderhamn.example' });
    expect(out.rapport?.organisation).toBe('Söderhamns kommun');
    expect(out.klass).toBe('slutrapport');
  });

  it('reports a scan as pdf-ocr', async () => {
    const out = await parse(scan);
    expect(out.kalla.format).toBe('pdf-ocr');
    expect(out.maskinlast).toBe(true);
    expect(out.rapport?.insatsnamn).toBeTruthy();
  });
});

describe('the kansli’s tools as processes', () => {
  const exited = z.object({ code: z.number(), stdout: z.string(), stderr: z.string() });
  async function cli(script: string, args: string[]) {
    return run(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, script), ...args], {
      cwd: root,
      timeout: 60_000,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err: unknown) => exited.parse(err),
    );
  }

  it('answers parse --help and submit --help with Swedish help and exit code 0', async () => {
    for (const script of ['local/cli/parse.ts', 'local/cli/submit.ts']) {
      const r = await cli(script, ['--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Användning: npm run');
      expect(r.stderr).toBe('');
    }
  });

  it('answers an unknown flag with one Swedish line and exit code 64, never a stack trace', async () => {
    const r = await cli('local/cli/submit.ts', ['rapport.pdf', '--okand']);
    expect(r.code).toBe(64);
    expect(r.stderr).toBe('Okänd flagga --okand. Se npm run submit -- --help.\n');
  });
});
