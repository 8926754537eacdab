/**
 * Per Lambda: the bundle as the CDK stack builds it (infra/constructs/app-function.ts: ESM, minified, source
 * map without sources, node22, createRequire banner, the OCR modules external for ingest), its size, and the
 * module init time of a fresh `node` importing it with the function's configuration in the environment.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { figure, type Figure } from './lib/stats.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');

// Same text as ESM_REQUIRE_BANNER in app-function.ts (not exported there).
const BANNER =
  "import{createRequire as __rfCreateRequire}from'node:module';const require=__rfCreateRequire(import.meta.url);";
/** As in infra/constructs/ingest-pipeline.ts: installed next to the bundle, not bundled. */
const EXTERNAL: Record<string, string[]> = {
  ingest: ['tesseract.js', '@tesseract.js-data/swe', '@napi-rs/canvas'],
};

/** Enough configuration for every function's cold-start parse (functions/lib/config.ts). */
const ENV: Record<string, string> = {
  AWS_REGION: 'eu-north-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: 'rapportflode',
  POWERTOOLS_METRICS_NAMESPACE: 'Rapportflode',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  TABLE_NAME: 'rapportflode-diarium',
  DIARIUM_SERIE: 'SFG',
  INBOUND_BUCKET: 'rapportflode-inbound',
  EVENT_BUS_NAME: 'rapportflode',
  MAIL_FROM: 'Samordningsförbund Gävleborg <kontakt@finsamgavleborg.se>',
  KANSLI_EMAIL: 'kontakt@finsamgavleborg.se',
  FORBUNDSCHEF_EMAIL: 'forbundschef@finsamgavleborg.se',
  PUBLIC_BASE_URL: 'https://granskning.finsamgavleborg.se',
  BEREDNINGSGRUPP: JSON.stringify([
    { namn: 'Maria Exempelsson', epost: 'maria@ovanaker.example', organisation: 'Ovanåkers kommun' },
  ]),
  BESLUT_POLICY: JSON.stringify({ typ: 'forsta' }),
  LINK_TTL_SECONDS: '1209600',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-north-1:000000000000:stateMachine:Granskning',
  INGEST_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/ingest',
};

const RUNNER = `const t0 = process.hrtime.bigint();
const m = await import(process.argv[2]);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
if (typeof m.handler !== 'function') throw new Error('no handler export');
console.log(JSON.stringify({ ms }));
`;

export function lambdaNames(): string[] {
  return readdirSync(path.join(ROOT, 'functions')).filter((d) => {
    try {
      return statSync(path.join(ROOT, 'functions', d, 'handler.ts')).isFile();
    } catch {
      return false;
    }
  });
}

export async function benchBundles(dir: string, initRuns: number): Promise<Figure[]> {
  const outDir = path.resolve(dir, 'bundles');
  mkdirSync(outDir, { recursive: true });
  const runner = path.join(outDir, 'init-runner.mjs');
  writeFileSync(runner, RUNNER);
  const figures: Figure[] = [];
  for (const name of lambdaNames()) {
    const outfile = path.join(outDir, name, 'index.mjs');
    await build({
      entryPoints: [path.join(ROOT, 'functions', name, 'handler.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      banner: { js: BANNER },
      external: EXTERNAL[name] ?? [],
      logLevel: 'error',
      metafile: false,
    });
    const bytes = readFileSync(outfile);
    const mb = bytes.length / 1024 / 1024;
    const gz = gzipSync(bytes).length / 1024;
    const ocr = name === 'ingest';
    figures.push({
      group: 'bundle size',
      name,
      unit: 'MB',
      median: mb,
      min: mb,
      max: mb,
      runs: 1,
      ...(ocr ? {} : { target: { op: '<=' as const, value: 1 } }),
      note: `gzip ${gz.toFixed(0)} KB${ocr ? '; OCR path: tesseract.js, swe data, canvas installed beside it' : ''}`,
    });
    const times: number[] = [];
    for (let i = 0; i < initRuns; i++) {
      const { stdout } = await run(process.execPath, [runner, pathToFileURL(outfile).href], {
        env: { PATH: process.env['PATH'] ?? '', ...ENV },
      });
      const parsed = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { ms?: unknown };
      if (typeof parsed.ms !== 'number') throw new Error(`init-runner gav inget värde för ${name}`);
      times.push(parsed.ms);
    }
    figures.push(
      figure('module init', name, 'ms', times, {
        ...(ocr ? {} : { target: { op: '<=' as const, value: 150 } }),
        note: 'fresh node, --enable-source-maps as on Lambda',
      }),
    );
  }
  return figures;
}
