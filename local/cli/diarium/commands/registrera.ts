import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { loadStageConfig } from '../../../../infra/config/stages.js';
import { DEFAULT_SERIE } from '../../../../domain/defaults.js';
import { ankomstdatum } from '../../../../domain/diarium/ankomstdatum.js';
import { DiariumRegelError, StorageError } from '../../../../domain/diarium/errors.js';
import {
  FLAGGTEXT,
  PAPPERSKLASSER,
  REGISTRERINGSTYPER,
  RegistreringError,
  SATT,
  registreraHandling,
} from '../../../../domain/diarium/registrera.js';
import type { DocumentFiler } from '../../../../domain/document-archive.js';
import { S3DocumentStore } from '../../../../functions/adapters/s3-document-store.js';
import { notRunning, runningStack, userPath } from '../../stack.js';
import { defineCommand } from '../command.js';
import { byteText } from '../format.js';
import { CLI_DEFAULTS, isConnectionError, type CliIo } from '../io.js';

/** A single PUT takes at most 5 GB; a scan is far smaller, and the whole file is read into memory. */
const MAX_CLI_FIL = 500 * 1024 * 1024;

const FALTNAMN: Record<string, string> = {
  typ: '--typ',
  namn: '--namn',
  organisation: '--organisation',
  epost: '--epost',
  postadress: '--postadress',
  datum: '--datum',
  beskrivning: '--avser',
  arende: '--arende',
  arendemening: '--arendemening',
  insats: '--insats',
  klass: '--klass',
  satt: '--satt',
  fil: '--fil',
};

/** The records store the command files into: the injected one (tests), or S3 at --s3/--bucket with retention. */
function cliFiler(io: CliIo, flags: { s3?: string | undefined; bucket?: string | undefined }): DocumentFiler {
  if (io.filer) return io.filer;
  const stack = runningStack(io.env);
  const s3 = new S3Client({
    endpoint: flags.s3 ?? io.env['AWS_ENDPOINT_URL_S3'] ?? stack?.s3 ?? CLI_DEFAULTS.s3,
    region: io.env['AWS_REGION'] ?? stack?.region ?? CLI_DEFAULTS.region,
    credentials: CLI_DEFAULTS.credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const days = Number(io.env['RETENTION_DAYS'] ?? loadStageConfig('lokal').objectLockRetentionDays);
  return new S3DocumentStore(
    s3,
    flags.bucket ?? io.env['INBOUND_BUCKET'] ?? stack?.bucket ?? CLI_DEFAULTS.bucket,
    {
      days,
    },
  );
}

export const registrera = defineCommand({
  name: 'registrera',
  usage: 'registrera --typ inkommen|upprattad|expedierad --avser "…" --av "…" [--fil skanning.pdf] …',
  summary: 'registrera en handling för hand (papperspost, upprättad, expedierad), även stora filer',
  help: `npm run diarium -- registrera --typ inkommen|upprattad|expedierad --avser "…" --av "…" [flaggor]

Registrerar en handling för hand, som formuläret i kansliets diarium gör, men utan dess storleksgräns
för filen. Handlingen får sitt diarienummer direkt; skriv det på pappershandlingen. Samma kommando med
samma fil och uppgifter en gång till registrerar inget nytt (samma diarienummer skrivs ut).

  --typ TYP            ${Object.entries(REGISTRERINGSTYPER)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n                       ')}
  --avser TEXT         vad handlingen avser (krävs)
  --av NAMN            vem som registrerar, skrivs i ärendets logg (krävs)
  --fil FIL            skanningen (PDF, JPEG, PNG eller TIFF); krävs för inkommen och expedierad
  --namn, --organisation, --epost, --postadress
                       avsändaren (inkommen) eller mottagaren (expedierad); namn eller organisation krävs
  --datum ÅÅÅÅ-MM-DD   ankomstdatum (stämpeln på brevet), upprättad eller skickad; standard i dag
                       (svensk tid), aldrig i framtiden
  --arende DNR         ett befintligt ärende, t.ex. SFG 26-12
  --arendemening TEXT  ärendemening för ett nytt ärende (i stället för --arende)
  --insats ID          insatsen i insatsregistret som det nya ärendet gäller (valfri)
  --klass KLASS        inkommen: ${PAPPERSKLASSER.join(', ')} (standard allman-handling)
  --satt SATT          expedierad: ${Object.keys(SATT).join(', ')} (standard post)
  --nyckel TEXT        egen engångsnyckel (standard: räknas fram ur filen och uppgifterna)
  --s3 URL             S3 för filen (standard: ur .data/stack.json; annars AWS_ENDPOINT_URL_S3 eller
                       ${CLI_DEFAULTS.s3})
  --bucket NAMN        bucket (standard: ur .data/stack.json; annars INBOUND_BUCKET eller ${CLI_DEFAULTS.bucket})

En slutrapport på papper läses inte in automatiskt: den flaggas "${FLAGGTEXT['las-in-manuellt'] ?? ''}".
Slutkod 0 registrerad, 1 avvisad (felen skrivs ut per flagga), 2 den lokala stacken svarar inte, 64 fel
kommandorad.`,
  options: {
    typ: { type: 'string' },
    avser: { type: 'string' },
    av: { type: 'string' },
    fil: { type: 'string' },
    namn: { type: 'string' },
    organisation: { type: 'string' },
    epost: { type: 'string' },
    postadress: { type: 'string' },
    datum: { type: 'string' },
    arende: { type: 'string' },
    arendemening: { type: 'string' },
    insats: { type: 'string' },
    klass: { type: 'string' },
    satt: { type: 'string' },
    nyckel: { type: 'string' },
    s3: { type: 'string' },
    bucket: { type: 'string' },
  },
  async run({ io, diarium: { repo }, need }, v) {
    const typ = need(v.typ, '--typ');
    const av = need(v.av, '--av');
    let fil: { filnamn: string; bytes: Uint8Array } | null = null;
    if (v.fil) {
      const p = userPath(io, v.fil);
      let size: number;
      try {
        size = statSync(p).size;
      } catch {
        throw new DiariumRegelError(`Filen ${p} finns inte eller går inte att läsa.`);
      }
      if (size > MAX_CLI_FIL)
        throw new DiariumRegelError(`Filen är ${byteText(size)}; högst ${byteText(MAX_CLI_FIL)} tas emot.`);
      fil = { filnamn: path.basename(p), bytes: readFileSync(p) };
    }
    const input = {
      typ,
      namn: v.namn ?? '',
      organisation: v.organisation ?? '',
      epost: v.epost ?? '',
      postadress: v.postadress ?? '',
      datum: v.datum ?? '',
      beskrivning: v.avser ?? '',
      arende: v.arende ?? '',
      arendemening: v.arendemening ?? '',
      insats: v.insats ?? '',
      klass: v.klass ?? (typ === 'inkommen' ? 'allman-handling' : ''),
      satt: v.satt ?? '',
      fil,
      av,
    };
    // Run again with the same file and facts, the command finds the first registration instead of a second.
    const nyckel =
      v.nyckel ??
      `cli-${createHash('sha256')
        .update(
          JSON.stringify({
            ...input,
            fil: fil ? createHash('sha256').update(fil.bytes).digest('hex') : null,
            datum: input.datum || ankomstdatum(io.clock().toISOString()),
          }),
        )
        .digest('hex')}`;
    try {
      const { handling: h, skapad } = await registreraHandling(
        {
          registry: repo,
          reader: repo,
          insatser: repo,
          documents: cliFiler(io, v),
          clock: io.clock,
          serie: v.serie ?? io.env['DIARIUM_SERIE'] ?? DEFAULT_SERIE,
          maxFilstorlek: MAX_CLI_FIL,
        },
        { ...input, nyckel },
      );
      const flaggor = h.flaggor.flatMap((f) => (FLAGGTEXT[f] && f !== 'papper' ? [FLAGGTEXT[f]] : []));
      io.out(
        [
          skapad
            ? `Registrerad: ${h.diarienummer} (ärende ${h.arende}), datum ${h.ankomstdatum}.`
            : `Redan registrerad: ${h.diarienummer} (ärende ${h.arende}); inget nytt registrerades.`,
          ...h.filer.map((f) => `Fil: ${f.filnamn}, ${byteText(f.storlek)}, SHA-256 ${f.sha256}`),
          ...flaggor.map((f) => `Obs: ${f}.`),
          'Skriv diarienumret på pappershandlingen.',
        ].join('\n'),
      );
      return 0;
    } catch (err) {
      if (err instanceof RegistreringError) {
        io.err(
          Object.entries(err.falt)
            .map(([k, m]) => `${FALTNAMN[k] ?? k}: ${m}`)
            .join('\n'),
        );
        return 1;
      }
      // The diarium answered but S3 did not: say which service, not DynamoDB's message.
      if (err instanceof StorageError && isConnectionError(err)) {
        io.err(
          notRunning(
            'S3',
            v.s3 ?? io.env['AWS_ENDPOINT_URL_S3'] ?? runningStack(io.env)?.s3 ?? CLI_DEFAULTS.s3,
            '--s3',
          ),
        );
        return 2;
      }
      throw err;
    }
  },
});
