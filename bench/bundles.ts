/**
 * Per Lambda: the bundle as the CDK stack builds it (functionBuildOptions in infra/constructs/bundle-settings.ts,
 * the OCR modules external for ingest), its size, and the module init time of a fresh `node` importing it with
 * the function's configuration in the environment.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { functionBuildOptions, OCR_MODULES } from '../infra/constructs/bundle-settings.js';
import { figure, type Figure } from './lib/stats.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');

/** Enough configuration for every function's cold-start parse (functions/runtime/config.ts). */
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
  MAIL_REPLY_TO: 'kontakt@finsamgavleborg.se',
  KANSLI_EMAIL: 'kontakt@finsamgavleborg.se',
  FORBUNDSCHEF_EMAIL: 'forbundschef@finsamgavleborg.se',
  PUBLIC_BASE_URL: 'https://granskning.finsamgavleborg.se',
  BEREDNINGSGRUPP: JSON.stringify([
    { namn: 'Maria Exempelsson', epost: 'maria@ovanaker.example', organisation: 'Ovanåkers kommun' },
  ]),
  BESLUT_POLICY: JSON.stringify({ typ: 'forsta' }),
  LINK_TTL_SECONDS: '1209600',
  RETENTION_DAYS: '3653',
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

function bundlePath(outDir: string, name: string): string {
  return path.join(outDir, name, 'index.mjs');
}

function isOcrPath(name: string): boolean {
  return name === 'ingest';
}

export async function benchBundles(dir: string, initRuns: number): Promise<Figure[]> {
  const outDir = path.resolve(dir, 'bundles');
  mkdirSync(outDir, { recursive: true });
  const runner = path.join(outDir, 'init-runner.mjs');
  writeFileSync(runner, RUNNER);
  const names = lambdaNames();
  const sizes = new Map<string, Figure>();
  for (const name of names) {
    const outfile = bundlePath(outDir, name);
    await build(
      functionBuildOptions(
        ROOT,
        path.join(ROOT, 'functions', name, 'handler.ts'),
        outfile,
        isOcrPath(name) ? OCR_MODULES : [],
      ),
    );
    const bytes = readFileSync(outfile);
    const mb = bytes.length / 1024 / 1024;
    const gz = gzipSync(bytes).length / 1024;
    const ocr = isOcrPath(name);
    sizes.set(name, {
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
  }

  // Round robin over the functions rather than one function's runs in a row: this machine's speed drifts over
  // seconds, and a slow spell should spread over all functions instead of landing on one.
  const times = new Map<string, number[]>(names.map((n) => [n, []]));
  for (let i = 0; i < initRuns; i++) {
    for (const name of names) {
      const { stdout } = await run(process.execPath, [runner, pathToFileURL(bundlePath(outDir, name)).href], {
        env: { PATH: process.env['PATH'] ?? '', ...ENV },
      });
      const parsed = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { ms?: unknown };
      if (typeof parsed.ms !== 'number') throw new Error(`init-runner gav inget värde för ${name}`);
      times.get(name)?.push(parsed.ms);
    }
  }

  const figures: Figure[] = [];
  for (const name of names) {
    figures.push(sizes.get(name)!);
    figures.push(
      figure('module init', name, 'ms', times.get(name) ?? [], {
        ...(isOcrPath(name) ? {} : { target: { op: '<=' as const, value: 150 } }),
        note: 'fresh node, --enable-source-maps as on Lambda; runs interleaved across functions',
      }),
    );
  }
  return figures;
}
