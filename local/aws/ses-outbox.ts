import { appendFileSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Defer } from './lifecycle.js';
import type { Reservation } from './ports.js';

type SesStart = (c: { host: string; port: number }) => Promise<http.Server>;

/** aws-ses-v2-local's in-memory store (CommonJS; its other modules call `saveEmail` through the exports). */
interface SesStore {
  saveEmail: (email: unknown) => void;
  getStoreReadonly: () => { emails: unknown[] };
}

/** Where the outbox of the stack started last in this process is kept (one file per data directory). */
let keptIn: string | null = null;
let patched = false;

/**
 * Keeps the sent mail across restarts: every mail the outbox takes is appended to `<data>/utkorg.jsonl`, and a
 * new process starts with what was there (the viewer shows the same outbox after `npm start` again).
 */
function keepOutbox(file: string): () => void {
  const store = createRequire(import.meta.url)('aws-ses-v2-local/dist/store.js') as SesStore;
  if (!patched) {
    patched = true;
    const save = store.saveEmail;
    store.saveEmail = (email) => {
      save(email);
      if (keptIn) appendFileSync(keptIn, `${JSON.stringify(email)}\n`);
    };
  }
  // The store lives as long as the process: only a new process loads the file.
  if (store.getStoreReadonly().emails.length === 0) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = '';
    }
    // A line cut short by a kill is ended, so the next mail starts on a line of its own.
    if (text && !text.endsWith('\n')) appendFileSync(file, '\n');
    const lines = text.split('\n').filter(Boolean);
    for (const line of lines) {
      try {
        store.getStoreReadonly().emails.push(JSON.parse(line) as unknown);
      } catch {
        // A line cut short by a kill: the mails before it are kept.
      }
    }
  }
  keptIn = file;
  return () => {
    if (keptIn === file) keptIn = null;
  };
}

/** SES outbound (aws-ses-v2-local): takes the functions' SendEmail calls and shows them in its outbox viewer. */
export async function startSesOutbox(opts: {
  reservation: Reservation;
  dataDir: string;
  defer: Defer;
}): Promise<string> {
  const sesModule = (await import('aws-ses-v2-local')) as unknown as {
    default: SesStart | { default: SesStart };
  };
  // CommonJS default export: `x.default` under Node's ESM loader, `x` itself under some bundlers.
  const startSes = typeof sesModule.default === 'function' ? sesModule.default : sesModule.default.default;
  opts.defer(keepOutbox(path.join(opts.dataDir, 'utkorg.jsonl')));
  const { port } = opts.reservation;
  await opts.reservation.release();
  const server = await startSes({ host: '127.0.0.1', port });
  opts.defer(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${port}`;
}
