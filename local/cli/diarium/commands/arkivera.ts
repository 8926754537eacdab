import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { arendenFor, arkiveraArende } from '../../../../domain/arkiv/csip.js';
import { defineCommand } from '../command.js';
import { CLI_DEFAULTS, cliStore } from '../io.js';

/** The schemas each package carries in schemas/ (vendored, with their sources: local/cli/diarium/arkiv-scheman/README.md). */
const SCHEMA_DIR = path.resolve(import.meta.dirname, '../arkiv-scheman');
const SCHEMAN = ['mets.xsd', 'xlink.xsd', 'DILCISExtensionMETS.xsd'];

export const arkivera = defineCommand({
  name: 'arkivera',
  usage: 'arkivera <ärende|år> --ut <katalog>',
  summary: 'skriv ärendets arkivpaket (E-ARK CSIP: METS.xml, metadata, filer med kontrollsummor)',
  help: `npm run diarium -- arkivera <ärende|år> --ut <katalog>

Skriver ett arkivpaket enligt E-ARK CSIP (grunden för Riksarkivets FGS Paketstruktur) per ärende, t.ex.
SFG 26-5, eller för alla ärenden med handlingar ett visst år (2026). Varje paket är en katalog med
METS.xml, diarieuppgifterna och loggen under metadata/, varje handlings filer (kontrollerade mot diariets
SHA-256) och beslutet som PDF. Samma innehåll ger samma paket, byte för byte. Ärendets logg får en post om
arkiveringen; inget annat i diariet ändras.

  --ut KATALOG     katalog att skriva paketen i (krävs)
  --av NAMN        vem som arkiverar (standard USER)
  --s3 URL         S3 för filerna (standard ${CLI_DEFAULTS.s3} eller AWS_ENDPOINT_URL_S3)
  --bucket NAMN    bucket för filerna (standard ${CLI_DEFAULTS.bucket} eller INBOUND_BUCKET)`,
  options: {
    ut: { type: 'string' },
    av: { type: 'string' },
    s3: { type: 'string' },
    bucket: { type: 'string' },
  },
  async run({ io, diarium: { repo }, arg, need }, v) {
    const vad = need(arg, 'Ärende eller år');
    const ut = path.resolve(io.cwd ?? process.cwd(), need(v.ut, 'Katalog (--ut)'));
    const deps = {
      repo,
      documents: cliStore(io, v),
      scheman: SCHEMAN.map((filnamn) => ({ filnamn, bytes: readFileSync(path.join(SCHEMA_DIR, filnamn)) })),
      programversion: '0.1.0',
    };
    const arenden = await arendenFor(repo, vad);
    if (arenden.length === 0) io.out(`Inga ärenden med handlingar ${vad}.`);
    for (const dnr of arenden) {
      const r = await arkiveraArende(deps, dnr, {
        av: v.av ?? io.env['USER'] ?? 'kansliet',
        skriv: (paket) => {
          const dir = path.join(ut, paket.objid);
          // The package is written whole: nothing left from an earlier export of other content.
          rmSync(dir, { recursive: true, force: true });
          for (const f of paket.filer) {
            const target = path.join(dir, ...f.sokvag.split('/'));
            mkdirSync(path.dirname(target), { recursive: true });
            writeFileSync(target, f.bytes);
          }
          return Promise.resolve(dir);
        },
      });
      io.out(
        `${dnr}: ${r.katalog} (${r.paket.filer.length} filer, METS SHA-256 ${r.paket.metsSha256})${r.loggad ? '' : ' – samma innehåll som förra arkiveringen'}`,
      );
    }
    return 0;
  },
});
