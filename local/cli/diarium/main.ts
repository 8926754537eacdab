import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_SERIE } from '../../../domain/defaults.js';
import { ankomstdatum, svenskTidpunktSekunder } from '../../../domain/diarium/ankomstdatum.js';
import { toCsv } from '../../../domain/diarium/csv.js';
import { formatArende, parseHandlingNummer } from '../../../domain/diarium/diarienummer.js';
import { DiariumRegelError, HandlingNotFoundError } from '../../../domain/diarium/errors.js';
import {
  korrigeraAnkomstdatum,
  makuleraHandling,
  frigeHandling,
  verifieraArende,
} from '../../../domain/diarium/kansli.js';
import type { Diarium, DocumentReader, EventPublisher } from '../../../domain/diarium/ports.js';
import type { Arende, AuditEntry, Handling } from '../../../domain/diarium/types.js';
import type { Verifiering } from '../../../domain/diarium/verifiera.js';
import { DynamoDiariumRepository } from '../../../functions/adapters/dynamo-diarium/repository.js';
import { AppEventPublisher, eventBridgeSink } from '../../../functions/adapters/eventbridge-publisher.js';
import { S3DocumentStore } from '../../../functions/adapters/s3-document-store.js';

export const CLI_DEFAULTS = {
  endpoint: 'http://127.0.0.1:8000',
  table: 'rapportflode-diarium',
  eventbridge: 'http://127.0.0.1:4010',
  s3: 'http://127.0.0.1:4569',
  bucket: 'rapportflode-inbound',
  bus: 'rapportflode-lokal',
  region: 'eu-west-1',
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
};

/** One row of `list --json`. */
export interface ListRad {
  diarienummer: string;
  arende: string;
  ankomstdatum: string;
  mottagen: string;
  avsandare: string;
  beskrivning: string;
  status: string;
  granskning: string;
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  clock: () => Date;
  /** Overrides for tests: an existing repository and event publisher instead of clients from the flags. */
  repo?: Diarium;
  events?: EventPublisher;
  /** The inbound bucket's files, instead of an S3 client from the flags. */
  store?: DocumentReader;
  cwd?: string;
}

const HJALP = `Diariet – verktyg för kansliet

  npm run diarium -- list [--from ÅÅÅÅ-MM-DD] [--to ÅÅÅÅ-MM-DD] [--json]
  npm run diarium -- show <diarienummer>            handling (eller ärende), filer, ärendets logg
  npm run diarium -- filer <diarienummer> [--till katalog]  hämta handlingens filer (kontrollerade mot SHA-256)
  npm run diarium -- export --csv [--from …] [--to …] [--fil diarium.csv | --fil -]
  npm run diarium -- makulera <diarienummer> --skal "…" --av "…"
  npm run diarium -- andra-ankomst <diarienummer> --tid 2026-03-02T09:15:00+01:00 --skal "…" --av "…"
  npm run diarium -- slapp <diarienummer> --av "…"     släpp en flaggad handling (spam/DMARC) till granskning
  npm run diarium -- verifiera <ärende>              kontrollera ärendets granskningslogg

  --endpoint URL   DynamoDB (standard ${CLI_DEFAULTS.endpoint} eller AWS_ENDPOINT_URL_DYNAMODB)
  --table NAMN     tabell (standard ${CLI_DEFAULTS.table})
  --serie SERIE    diarieserie (standard SFG eller DIARIUM_SERIE)
  --s3 URL         S3 för filer (standard ${CLI_DEFAULTS.s3} eller AWS_ENDPOINT_URL_S3)
  --bucket NAMN    bucket för filer (standard ${CLI_DEFAULTS.bucket} eller INBOUND_BUCKET)`;

const GRANSKNING_SV: Record<Handling['granskning'], string> = {
  'ej-aktuell': 'ej aktuell',
  'vantar-pa-kansliet': 'väntar på kansliet',
  pagar: 'pågår',
  godkand: 'godkänd',
  'komplettering-begard': 'komplettering begärd',
  'inget-beslut': 'inget beslut',
};
const BEDOMNING_SV: Record<Handling['bedomning'], string> = {
  komplett: 'komplett',
  ofullstandig: 'ofullständig',
  olasbar: 'oläsbar',
  karantan: 'karantän',
};
const KALLA_SV: Record<Handling['kalla'], string> = {
  epost: 'e-post',
  uppladdning: 'uppladdning',
  upprattad: 'upprättad',
};

export function avsandareText(h: Handling): string {
  const a = h.avsandare;
  const person = [a.namn, a.epost ? `<${a.epost}>` : null].filter(Boolean).join(' ');
  return (
    [person || (a.kuvertAvsandare ? `<${a.kuvertAvsandare}>` : ''), a.organisation]
      .filter(Boolean)
      .join(', ') || 'okänd'
  );
}

export function listRad(h: Handling): ListRad {
  return {
    diarienummer: h.diarienummer,
    arende: h.arende,
    ankomstdatum: h.ankomstdatum,
    mottagen: h.mottagen,
    avsandare: avsandareText(h),
    beskrivning: h.beskrivning,
    status: h.makulerad ? 'makulerad' : h.bedomning,
    granskning: h.granskning,
  };
}

const byArrival = (a: Handling, b: Handling) =>
  a.mottagen.localeCompare(b.mottagen) ||
  a.diarienummer.localeCompare(b.diarienummer, 'sv', { numeric: true });

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => chars(r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Grapheme clusters, so padding and clipping never split å written as a + ring. */
const segmenter = new Intl.Segmenter('sv');
const chars = (s: string) => Array.from(segmenter.segment(s), (x) => x.segment);
const clip = (s: string, n: number) =>
  chars(s).length > n
    ? `${chars(s)
        .slice(0, n - 1)
        .join('')}…`
    : s;

const CSV_RUBRIKER = [
  'Diarienummer',
  'Ärende',
  'Ärendemening',
  'Ankomstdatum',
  'Mottagen (svensk tid)',
  'Källa',
  'Avsändare',
  'E-post',
  'Organisation',
  'Beskrivning',
  'Bedömning',
  'Granskning',
  'Sekretess',
  'Flaggor',
  'Makulerad',
  'Makulerad av',
  'Makuleringsskäl',
  'Ankomst ändrad av',
  'Skäl för ändrad ankomst',
  'Ursprunglig mottagningstid',
  'Kvittens skickad',
  'Filer (SHA-256)',
];

export function csvRader(handlingar: Handling[], arenden: Arende[]): string[][] {
  const mening = new Map(arenden.map((a) => [a.diarienummer, a.arendemening]));
  return [
    CSV_RUBRIKER,
    ...handlingar.map((h) => [
      h.diarienummer,
      h.arende,
      mening.get(h.arende) ?? '',
      h.ankomstdatum,
      svenskTidpunktSekunder(h.mottagen),
      KALLA_SV[h.kalla],
      h.avsandare.namn ?? '',
      h.avsandare.epost ?? h.avsandare.kuvertAvsandare ?? '',
      h.avsandare.organisation ?? '',
      h.beskrivning,
      BEDOMNING_SV[h.bedomning],
      GRANSKNING_SV[h.granskning],
      h.sekretess ? 'ja' : 'nej',
      h.flaggor.join(' '),
      h.makulerad ? ankomstdatum(h.makulerad.tidpunkt) : '',
      h.makulerad?.av ?? '',
      h.makulerad?.skal ?? '',
      h.ankomstAndrad?.av ?? '',
      h.ankomstAndrad?.skal ?? '',
      h.ankomstAndrad ? svenskTidpunktSekunder(h.ankomstAndrad.ursprunglig) : '',
      h.kvittens ? svenskTidpunktSekunder(h.kvittens.skickad) : '',
      h.filer.map((f) => `${f.filnamn} ${f.sha256}`).join('; '),
    ]),
  ];
}

export function verifieringText(v: Verifiering): string {
  if (v.ok)
    return `Loggen för ${v.arende} är hel: ${v.antalPoster} poster, hashkedjan och ${v.antalHandlingar} handlingar stämmer.`;
  return [
    `LOGGEN FÖR ${v.arende} STÄMMER INTE (${v.avvikelser.length} avvikelser):`,
    ...v.avvikelser.map((a) => `  – ${a.meddelande}`),
  ].join('\n');
}

function loggText(logg: AuditEntry[]): string {
  return table([
    ['Nr', 'Tidpunkt', 'Händelse', 'Av', 'Uppgifter'],
    ...[...logg]
      .sort((a, b) => a.seq - b.seq)
      .map((e) => [
        String(e.seq),
        svenskTidpunktSekunder(e.tidpunkt),
        e.handelse,
        e.av,
        clip(JSON.stringify(e.data), 100),
      ]),
  ]);
}

function handlingText(h: Handling, arende: Arende | null): string {
  const rad = (k: string, v: string) => `  ${`${k}:`.padEnd(20)}${v}`;
  const lines = [
    `Handling ${h.diarienummer}${h.makulerad ? ' (MAKULERAD)' : ''}`,
    rad('Ärende', `${h.arende}${arende ? ` – ${arende.arendemening}` : ''}`),
    rad('Ankomstdatum', h.ankomstdatum),
    rad('Mottagen', `${svenskTidpunktSekunder(h.mottagen)} svensk tid (${h.mottagen} UTC)`),
  ];
  if (h.ankomstAndrad) {
    lines.push(
      rad(
        'Ankomst ändrad',
        `av ${h.ankomstAndrad.av}: ${h.ankomstAndrad.skal} (ursprungligen ${svenskTidpunktSekunder(h.ankomstAndrad.ursprunglig)})`,
      ),
    );
  }
  lines.push(
    rad('Källa', `${KALLA_SV[h.kalla]} (${h.kallaReferens})`),
    rad('Avsändare', avsandareText(h)),
    ...(h.avsandare.kuvertAvsandare && h.avsandare.kuvertAvsandare !== h.avsandare.epost
      ? [rad('Kuvertavsändare', h.avsandare.kuvertAvsandare)]
      : []),
    rad('Beskrivning', h.beskrivning),
    rad('Bedömning', BEDOMNING_SV[h.bedomning]),
    ...h.fel.map((f) => rad('  fel', f.meddelande)),
    ...h.varningar.map((f) => rad('  varning', f.meddelande)),
    rad('Granskning', GRANSKNING_SV[h.granskning]),
    rad('Flaggor', h.flaggor.join(', ') || '–'),
    rad(
      'Sekretess',
      h.sekretess
        ? `ja${h.personnummer.length ? ` (personnummer i ${h.personnummer.map((p) => p.avsnitt).join(', ')})` : ''}`
        : 'nej',
    ),
    rad(
      'Makulerad',
      h.makulerad
        ? `${svenskTidpunktSekunder(h.makulerad.tidpunkt)} av ${h.makulerad.av}: ${h.makulerad.skal}`
        : 'nej',
    ),
    rad(
      'Kvittens',
      h.kvittens
        ? `skickad ${svenskTidpunktSekunder(h.kvittens.skickad)} (${h.kvittens.meddelandeId})`
        : 'ej skickad',
    ),
    rad('Registrerad', svenskTidpunktSekunder(h.registrerad)),
    '',
    'Filer:',
    ...(h.filer.length
      ? h.filer.map(
          (f) =>
            `  ${f.filnamn}  ${f.typ}  ${f.storlek.toLocaleString('sv-SE')} byte${f.rapport ? '  (rapporten)' : ''}\n    SHA-256 ${f.sha256}`,
        )
      : ['  inga']),
  );
  return lines.join('\n');
}

/** A file name from a sender, safe to write: no directories, no characters Windows or a shell would trip on. */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = base
    .replace(/[\u0000-\u001f<>:"|?*]/g, '_')
    .replace(/^\.+/, '_')
    .trim();
  return clean || 'fil';
}

/** The inbound bucket on the local stack (or the endpoint and bucket given). */
function cliStore(
  io: CliIo,
  flags: { s3?: string | undefined; bucket?: string | undefined },
): DocumentReader {
  const s3 = new S3Client({
    endpoint: flags.s3 ?? io.env['AWS_ENDPOINT_URL_S3'] ?? CLI_DEFAULTS.s3,
    region: io.env['AWS_REGION'] ?? CLI_DEFAULTS.region,
    credentials: CLI_DEFAULTS.credentials,
    forcePathStyle: true,
  });
  return new S3DocumentStore(s3, flags.bucket ?? io.env['INBOUND_BUCKET'] ?? CLI_DEFAULTS.bucket);
}

export interface CliDiarium {
  repo: Diarium;
  /** The Swedish message for an error meaning the local stack or its table is not there; null otherwise. */
  explain(err: unknown): string | null;
  close(): void;
}

/** The diarium a kansli tool works on: the injected one (tests), or DynamoDB at --endpoint/--table. */
export function openCliDiarium(
  io: Pick<CliIo, 'env' | 'clock' | 'repo'>,
  flags: { endpoint?: string | undefined; table?: string | undefined },
  opts: { serie: string; requestTimeout?: number },
): CliDiarium {
  const endpoint = flags.endpoint ?? io.env['AWS_ENDPOINT_URL_DYNAMODB'] ?? CLI_DEFAULTS.endpoint;
  const tableName = flags.table ?? io.env['TABLE_NAME'] ?? CLI_DEFAULTS.table;
  const client = io.repo
    ? null
    : new DynamoDBClient({
        endpoint,
        region: CLI_DEFAULTS.region,
        credentials: CLI_DEFAULTS.credentials,
        maxAttempts: 2,
        requestHandler: {
          connectionTimeout: 2000,
          ...(opts.requestTimeout ? { requestTimeout: opts.requestTimeout } : {}),
        },
      });
  const repo =
    io.repo ??
    new DynamoDiariumRepository(
      DynamoDBDocumentClient.from(client!, { marshallOptions: { removeUndefinedValues: true } }),
      { tableName, clock: io.clock, serie: opts.serie },
    );
  return {
    repo,
    explain(err) {
      if (err instanceof ResourceNotFoundException)
        return `Tabellen "${tableName}" finns inte på ${endpoint}. Har den lokala stacken startats (npm start)? Ange annars --table.`;
      if (isConnectionError(err))
        return `Den lokala stacken körs inte: ingen DynamoDB svarar på ${endpoint}.\nStarta den med "npm start" i ett annat fönster, eller ange --endpoint.`;
      return null;
    },
    close: () => client?.destroy(),
  };
}

export function isConnectionError(err: unknown): boolean {
  const seen = new Set<unknown>();
  const walk = (e: unknown): boolean => {
    if (!e || typeof e !== 'object' || seen.has(e)) return false;
    seen.add(e);
    const o = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (
      typeof o.code === 'string' &&
      ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT'].includes(o.code)
    )
      return true;
    if (o.name === 'TimeoutError') return true;
    if (typeof o.message === 'string' && /ECONNREFUSED|socket hang up/.test(o.message)) return true;
    return walk(o.cause) || (Array.isArray(o.errors) && o.errors.some(walk));
  };
  return walk(err);
}

const dateRe = /^\d{4}-\d{2}-\d{2}$/;

export async function runDiariumCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        fil: { type: 'string' },
        skal: { type: 'string' },
        av: { type: 'string' },
        tid: { type: 'string' },
        endpoint: { type: 'string' },
        table: { type: 'string' },
        serie: { type: 'string' },
        eventbridge: { type: 'string' },
        till: { type: 'string' },
        s3: { type: 'string' },
        bucket: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n\n${HJALP}`);
    return 64;
  }
  const { values: v, positionals } = parsed;
  const [cmd, arg] = positionals;
  if (!cmd || v.help) {
    io.out(HJALP);
    return cmd ? 0 : 64;
  }
  const serie = v.serie ?? io.env['DIARIUM_SERIE'] ?? DEFAULT_SERIE;
  // A full export reads the whole diarium: allow it half a minute per request.
  const diarium = openCliDiarium(io, v, { serie, requestTimeout: 30_000 });
  const { repo } = diarium;
  const deps = { repo, clock: io.clock };
  const need = (value: string | undefined, what: string): string => {
    if (!value) throw new DiariumRegelError(`${what} saknas.\n\n${HJALP}`);
    return value;
  };
  const range = () => {
    const today = ankomstdatum(io.clock().toISOString());
    const from = v.from ?? '2000-01-01';
    const to = v.to ?? today;
    if (!dateRe.test(from) || !dateRe.test(to)) throw new DiariumRegelError('Ange datum som ÅÅÅÅ-MM-DD.');
    if (from > to) throw new DiariumRegelError(`Från-datum ${from} ligger efter till-datum ${to}.`);
    return { from, to };
  };
  try {
    switch (cmd) {
      case 'list': {
        const { from, to } = range();
        const handlingar = (await repo.listDiarium(from, to)).sort(byArrival);
        if (v.json) {
          io.out(JSON.stringify(handlingar.map(listRad), null, 2));
          return 0;
        }
        if (handlingar.length === 0) {
          io.out(`Inga handlingar med ankomstdatum ${from} – ${to}.`);
          return 0;
        }
        io.out(
          table([
            ['Diarienummer', 'Ankomstdatum', 'Avsändare', 'Beskrivning', 'Status', 'Granskning'],
            ...handlingar.map((h) => [
              h.diarienummer,
              h.ankomstdatum,
              clip(avsandareText(h), 40),
              clip(h.beskrivning, 60),
              h.makulerad ? 'MAKULERAD' : BEDOMNING_SV[h.bedomning],
              GRANSKNING_SV[h.granskning],
            ]),
          ]),
        );
        io.out(`\n${handlingar.length} handlingar, ankomstdatum ${from} – ${to}.`);
        return 0;
      }
      case 'show': {
        const dnr = need(arg, 'Diarienummer');
        const hn = parseHandlingNummer(dnr);
        const arendeDnr = hn ? formatArende(hn) : dnr.trim().replace(/\s+/g, ' ');
        const d = await repo.getArendeDetaljer(arendeDnr);
        if (!d) throw new HandlingNotFoundError(`${dnr} finns inte i diariet.`);
        if (hn) {
          const h = d.handlingar.find((x) => x.handlingsnummer === hn.handling);
          if (!h) throw new HandlingNotFoundError(`Handlingen ${dnr} finns inte i diariet.`);
          io.out(handlingText(h, d.arende));
        } else {
          const a = d.arende;
          io.out(
            [
              `Ärende ${a.diarienummer} – ${a.arendemening}`,
              `  Status: ${a.status} · skapat ${ankomstdatum(a.skapad)} · ${a.antalHandlingar} handlingar${a.insatsId ? ` · insats ${a.insatsId}` : ''}`,
              '',
              d.handlingar.length
                ? table([
                    ['Diarienummer', 'Ankomstdatum', 'Avsändare', 'Beskrivning', 'Status'],
                    ...[...d.handlingar]
                      .sort((x, y) => x.handlingsnummer - y.handlingsnummer)
                      .map((h) => [
                        h.diarienummer,
                        h.ankomstdatum,
                        clip(avsandareText(h), 40),
                        clip(h.beskrivning, 60),
                        h.makulerad ? 'MAKULERAD' : BEDOMNING_SV[h.bedomning],
                      ]),
                  ])
                : 'Inga handlingar.',
            ].join('\n'),
          );
        }
        io.out(`\nÄrendets logg (${arendeDnr}):\n${loggText(d.logg)}\n`);
        const ver = await verifieraArende(repo, arendeDnr);
        io.out(verifieringText(ver));
        return ver.ok ? 0 : 1;
      }
      case 'filer': {
        const dnr = need(arg, 'Diarienummer');
        const hn = parseHandlingNummer(dnr);
        if (!hn)
          throw new DiariumRegelError(`Ange en handlings diarienummer, t.ex. SFG 26-1.2 (inte ${dnr}).`);
        const h = await repo.getHandling(dnr);
        if (!h) throw new HandlingNotFoundError(`Handlingen ${dnr} finns inte i diariet.`);
        // Quarantined files stay where they are: they are not copied to the kansli's computer by a tool.
        if (h.bedomning === 'karantan') {
          throw new DiariumRegelError(
            `${h.diarienummer} ligger i karantän (misstänkt skadlig kod); filerna hämtas inte.`,
          );
        }
        if (h.filer.length === 0) {
          io.out(`${h.diarienummer} har inga filer.`);
          return 0;
        }
        const store = io.store ?? cliStore(io, v);
        const dir = path.resolve(io.cwd ?? process.cwd(), v.till ?? '.');
        mkdirSync(dir, { recursive: true });
        let fel = 0;
        for (const f of h.filer) {
          const { bytes } = await store.get(f.nyckel);
          const sha = createHash('sha256').update(bytes).digest('hex');
          if (sha !== f.sha256) {
            io.err(
              `${f.filnamn}: innehållet stämmer inte med diariets SHA-256 (${sha}, diariet ${f.sha256}); filen skrevs inte.`,
            );
            fel++;
            continue;
          }
          const target = path.join(dir, `${h.diarienummer} ${safeFileName(f.filnamn)}`);
          writeFileSync(target, bytes);
          io.out(`Skrev ${target} (${bytes.length.toLocaleString('sv-SE')} byte, SHA-256 stämmer)`);
        }
        return fel === 0 ? 0 : 1;
      }
      case 'export': {
        if (!v.csv) throw new DiariumRegelError('Ange formatet: export --csv.');
        const { from, to } = range();
        const handlingar = (await repo.listDiarium(from, to)).sort(byArrival);
        const arenden = await repo.getArenden(handlingar.map((h) => h.arende));
        const csv = toCsv(csvRader(handlingar, arenden), { bom: true });
        const fil = v.fil ?? `diarium-${from}--${to}.csv`;
        if (fil === '-') {
          io.out(csv);
        } else {
          const target = path.resolve(io.cwd ?? process.cwd(), fil);
          writeFileSync(target, csv);
          io.out(`Skrev ${handlingar.length} handlingar (ankomstdatum ${from} – ${to}) till ${target}`);
        }
        return 0;
      }
      case 'makulera': {
        const dnr = need(arg, 'Diarienummer');
        const h = await makuleraHandling(deps, dnr, { skal: need(v.skal, '--skal'), av: need(v.av, '--av') });
        io.out(
          `${h.diarienummer} är makulerad av ${h.makulerad?.av ?? ''}: ${h.makulerad?.skal ?? ''}.\nNumret behålls och handlingen finns kvar i diariet och postlistan, markerad som makulerad.`,
        );
        return 0;
      }
      case 'andra-ankomst': {
        const dnr = need(arg, 'Diarienummer');
        const h = await korrigeraAnkomstdatum(deps, dnr, {
          tid: need(v.tid, '--tid'),
          skal: need(v.skal, '--skal'),
          av: need(v.av, '--av'),
        });
        io.out(
          `Ankomsttiden för ${h.diarienummer} är nu ${svenskTidpunktSekunder(h.mottagen)} (ankomstdatum ${h.ankomstdatum}).` +
            (h.ankomstAndrad
              ? `\nUrsprunglig tid ${svenskTidpunktSekunder(h.ankomstAndrad.ursprunglig)} finns kvar i handlingen och loggen.`
              : ''),
        );
        return 0;
      }
      case 'slapp': {
        const dnr = need(arg, 'Diarienummer');
        const av = need(v.av, '--av');
        const events =
          io.events ??
          new AppEventPublisher(
            eventBridgeSink(
              new EventBridgeClient({
                endpoint: v.eventbridge ?? io.env['AWS_ENDPOINT_URL_EVENTBRIDGE'] ?? CLI_DEFAULTS.eventbridge,
                region: CLI_DEFAULTS.region,
                credentials: CLI_DEFAULTS.credentials,
                maxAttempts: 2,
              }),
              io.env['EVENT_BUS_NAME'] ?? CLI_DEFAULTS.bus,
            ),
          );
        try {
          const r = await frigeHandling({ ...deps, events }, dnr, { av });
          io.out(
            r.redanFrigiven
              ? `${dnr} var redan släppt; begäran om granskning har skickats igen.`
              : `${dnr} är släppt av ${av} och skickad till granskning.`,
          );
          return 0;
        } catch (err) {
          if (isConnectionError(err) && !(err instanceof DiariumRegelError)) {
            const h = await repo.getHandling(dnr);
            if (h?.granskning === 'pagar') {
              io.err(
                `${dnr} är släppt i diariet, men begäran om granskning kunde inte skickas (EventBridge svarar inte). Kör samma kommando igen när den lokala stacken körs.`,
              );
              return 2;
            }
          }
          throw err;
        }
      }
      case 'verifiera': {
        const ver = await verifieraArende(repo, need(arg, 'Ärende'));
        (ver.ok ? io.out : io.err)(verifieringText(ver));
        return ver.ok ? 0 : 1;
      }
      default:
        io.err(`Okänt kommando "${cmd}".\n\n${HJALP}`);
        return 64;
    }
  } catch (err) {
    if (err instanceof DiariumRegelError || err instanceof HandlingNotFoundError) {
      io.err(err.message);
      return 1;
    }
    const unreachable = diarium.explain(err);
    if (unreachable) {
      io.err(unreachable);
      return 2;
    }
    throw err;
  } finally {
    diarium.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runDiariumCli(process.argv.slice(2), {
    out: (t) => console.log(t),
    err: (t) => console.error(t),
    env: process.env,
    clock: () => new Date(),
  });
  process.exitCode = code;
}
