import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { StartRefusedError } from './lifecycle.js';

/** Where `npm start` keeps its data unless RAPPORTFLODE_DATA says otherwise: `.data/` in the repository. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The data directory of the local stack: RAPPORTFLODE_DATA (relative to where the command was typed:
 * INIT_CWD under npm, which itself runs in the repository), else the repository's `.data/`.
 */
export function dataDirFrom(env: Record<string, string | undefined>, cwd = process.cwd()): string {
  const given = env['RAPPORTFLODE_DATA'];
  return given ? path.resolve(env['INIT_CWD'] ?? cwd, given) : path.join(REPO_ROOT, '.data');
}

/** What a running stack writes to `<data>/stack.json`, so every CLI finds it whatever its ports. */
export const StackInfoSchema = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  dataDir: z.string(),
  region: z.string(),
  smtp: z.string(),
  http: z.string(),
  outbox: z.string(),
  s3: z.string(),
  dynamodb: z.string(),
  aws: z.string(),
  table: z.string(),
  bucket: z.string(),
  eventBus: z.string(),
});
export type StackInfo = z.infer<typeof StackInfoSchema>;

/** The ingest queue's URL on the local AWS API endpoint (SQS's own form: account id, queue name). */
export const INGEST_QUEUE_NAME = 'rapportflode-ingest';
export const ingestQueueUrl = (awsEndpoint: string) => `${awsEndpoint}/000000000000/${INGEST_QUEUE_NAME}`;

const LOCK = 'stack.lock';
const INFO = 'stack.json';

/** True if a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running stack's addresses, or null if none is recorded or its process is gone. */
export function readStackInfo(dataDir: string): StackInfo | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(dataDir, INFO), 'utf8'));
  } catch {
    return null;
  }
  const parsed = StackInfoSchema.safeParse(raw);
  if (!parsed.success || !isAlive(parsed.data.pid)) return null;
  return parsed.data;
}

export class DataDirBusyError extends StartRefusedError {}

/** Locks held by this process: a second stack in the same process (tests) is refused like another process. */
const heldHere = new Set<string>();

export interface DataLock {
  /** Writes the running stack's addresses next to the lock. */
  publish(info: Omit<StackInfo, 'pid' | 'startedAt' | 'dataDir'>): void;
  release(): void;
}

function addresses(info: StackInfo | null): string {
  if (!info) return 'den startar fortfarande';
  return `SMTP ${info.smtp}, webb ${info.http}, utkorg ${info.outbox}, DynamoDB ${info.dynamodb}, S3 ${info.s3}, Step Functions/EventBridge ${info.aws}`;
}

/**
 * Takes `<data>/stack.lock` (O_EXCL), so two stacks never share DynamoDB Local's files or replay the same
 * granskningar. A lock whose process is gone (a killed stack) is taken over.
 */
export function lockDataDir(dataDir: string): DataLock {
  const lockFile = path.join(dataDir, LOCK);
  const startedAt = new Date().toISOString();
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeFileSync(fd, JSON.stringify({ pid: process.pid, startedAt }));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw err;
    }
    let holder: number | null = null;
    try {
      const v = z.object({ pid: z.number().int() }).safeParse(JSON.parse(readFileSync(lockFile, 'utf8')));
      holder = v.success ? v.data.pid : null;
    } catch {
      holder = null;
    }
    const ours = holder === process.pid && heldHere.has(dataDir);
    if (holder !== null && (ours || (holder !== process.pid && isAlive(holder)))) {
      throw new DataDirBusyError(
        `En lokal stack körs redan på samma data (${dataDir}, process ${holder}): ${addresses(readStackInfo(dataDir))}. Använd den, stoppa den först (Ctrl-C i dess fönster) eller ange en annan katalog med RAPPORTFLODE_DATA.`,
      );
    }
    // Stale: the process that held it is gone. Renaming first means only one of two racing starts takes it.
    const stale = `${lockFile}.${process.pid}.gammal`;
    try {
      renameSync(lockFile, stale);
      rmSync(stale, { force: true });
    } catch {
      // Someone else took it over first: try again, and meet their lock.
    }
  }
  heldHere.add(dataDir);
  let released = false;
  return {
    publish(info) {
      const full: StackInfo = { pid: process.pid, startedAt, dataDir, ...info };
      const tmp = path.join(dataDir, `${INFO}.tmp`);
      writeFileSync(tmp, `${JSON.stringify(full, null, 2)}\n`);
      renameSync(tmp, path.join(dataDir, INFO));
    },
    release() {
      if (released) return;
      released = true;
      heldHere.delete(dataDir);
      rmSync(path.join(dataDir, INFO), { force: true });
      rmSync(lockFile, { force: true });
    },
  };
}
