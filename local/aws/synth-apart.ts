import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { stageConfigSchema } from '../../infra/config/stages.js';
import { templateSchema, type Synthesized } from './template.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'rapportflode-synth');
/** What the app's templates are made of: the CDK code and what it imports, and the pinned dependencies. */
const SOURCES = ['infra', 'events', 'domain', 'functions/runtime'];

const synthesizedSchema = z.object({
  stateful: templateSchema,
  service: templateSchema,
  raw: z.array(z.unknown()),
  config: z.record(z.string(), z.unknown()),
});

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

/** A key that changes whenever anything the synthesis reads could have changed. */
function cacheKey(): string {
  const h = createHash('sha256');
  for (const file of [
    ...SOURCES.flatMap((d) => sourceFiles(path.join(ROOT, d))),
    path.join(ROOT, 'package-lock.json'),
    path.join(ROOT, 'cdk.json'),
  ]) {
    h.update(path.relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  h.update(process.env['CDK_CONTEXT_JSON'] ?? '');
  return h.digest('hex').slice(0, 32);
}

/**
 * The local stack's templates, synthesized in a child process (`synth.ts` run as a script) and cached by the
 * hash of the sources. CDK's synthesis takes ~600 MB that the long-running stack would keep for nothing (V8
 * rarely hands it back), next to the functions it runs; the stack holds only the templates.
 */
export async function synthesizeApart(): Promise<Synthesized> {
  const key = cacheKey();
  const cached = path.join(CACHE_DIR, `${key}.json`);
  let text: string | null = null;
  try {
    text = readFileSync(cached, 'utf8');
  } catch {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${cached}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'local', 'aws', 'synth.ts'), tmp],
        { cwd: ROOT, maxBuffer: 16 << 20 },
        (err, _stdout, stderr) => {
          if (err) reject(new Error(`CDK-syntesen misslyckades: ${stderr.trim() || err.message}`));
          else resolve();
        },
      );
    });
    // Renamed into place whole, so a stack starting beside this one never reads half a file.
    renameSync(tmp, cached);
    text = readFileSync(cached, 'utf8');
  }
  try {
    const parsed = synthesizedSchema.parse(JSON.parse(text));
    // The config crosses the process boundary as JSON: read it back through the stage schema.
    return { ...parsed, config: stageConfigSchema.parse(parsed.config) };
  } catch (err) {
    rmSync(cached, { force: true });
    throw err;
  }
}
