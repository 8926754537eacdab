import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionBuildOptions } from '../../infra/constructs/bundle-settings.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/aws/dynamodb-local.js';
import { newHandling } from '../support/new-handling.js';
import { startDiariumDb, type DiariumDb } from './diarium-support.js';

// The other tests run the handlers from source; this one runs a function the way Lambda does, as the bundle
// the stack deploys (lazy built-in shims, environment-only credentials) in a fresh node, against DynamoDB Local.
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const RUNNER = `const { handler } = await import(process.argv[2]);
const context = { functionName: 'postlista', awsRequestId: 'test-1', getRemainingTimeInMillis: () => 30000 };
console.log(JSON.stringify(await handler(JSON.parse(process.argv[3]), context)));
`;

let db: DiariumDb;
let table: string;
let dir: string;
let diarienummer: string;

beforeAll(async () => {
  db = await startDiariumDb();
  table = await db.newTable();
  const registered = await db.repo(table).registerHandling(
    {
      typ: 'nytt',
      serie: 'SFG',
      ar: 2026,
      arendemening: 'Slutrapport – Insats Exempelby',
      insatsId: null,
      insatsnyckel: null,
    },
    // 23:30 UTC on 9 March is 10 March in Sweden: the page must show the Swedish date.
    newHandling(1, { mottagen: '2026-03-09T23:30:00.000Z', ankomstdatum: '2026-03-10' }),
    'test#bundle-1',
  );
  diarienummer = registered.handling.diarienummer;
  dir = mkdtempSync(path.join(tmpdir(), 'rf-bundle-'));
  writeFileSync(path.join(dir, 'runner.mjs'), RUNNER);
  await build(
    functionBuildOptions(
      ROOT,
      path.join(ROOT, 'functions/postlista/handler.ts'),
      path.join(dir, 'index.mjs'),
    ),
  );
}, 120_000);

afterAll(async () => {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function invokeBundle(event: unknown, env: Record<string, string> = {}) {
  const { stdout } = await run(
    process.execPath,
    [path.join(dir, 'runner.mjs'), pathToFileURL(path.join(dir, 'index.mjs')).href, JSON.stringify(event)],
    {
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_OPTIONS: '--enable-source-maps',
        AWS_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: db.local.endpoint,
        TABLE_NAME: table,
        POWERTOOLS_SERVICE_NAME: 'rapportflode',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        ...env,
      },
    },
  );
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as { statusCode?: number; body?: string };
}

describe('a function as its Lambda bundle', () => {
  it('answers the postlista from DynamoDB with the Swedish ankomstdatum', async () => {
    const res = await invokeBundle({ queryStringParameters: { fran: '2026-03-01', till: '2026-03-31' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(diarienummer);
    expect(res.body).toContain('<td>2026-03-10</td>');
    expect(res.body).toContain('1 handlingar.');
  });

  it('takes its credentials from the environment, as Lambda provides them', async () => {
    await expect(invokeBundle({}, { AWS_ACCESS_KEY_ID: '' })).rejects.toThrow(
      /environment variable credentials/,
    );
  });

  it('loads Node built-ins through the lazy shims and bundles no other credential source', () => {
    const code = readFileSync(path.join(dir, 'index.mjs'), 'utf8');
    // The banner's node:module is the one static import of a built-in left.
    expect(code.match(/from\s*"node:[a-z_/]+"/g) ?? []).toEqual([]);
    // Booleans, not toContain: a failure would print the whole bundle.
    expect(/process\.getBuiltinModule\(["']node:http["']\)/.test(code)).toBe(true);
    expect(code.includes('defaultProvider::fromSSO')).toBe(false);
  });
});
