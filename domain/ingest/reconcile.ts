import type { DocumentReader, HandlingRegistry } from '../diarium/ports.js';
import { INKORGAR, type IncomingLister } from '../document-archive.js';
import type { Log } from '../log.js';
import { sourceKeyFor } from './source-key.js';

export interface ReconcileDeps {
  store: DocumentReader & IncomingLister;
  repo: HandlingRegistry;
  /** Puts the object back on the ingest queue, as its S3 event would have. */
  redrive: (object: { key: string; lastModified: string }) => Promise<void>;
  clock: () => Date;
  log: Log;
}

export interface ReconcileResult {
  granskade: number;
  saknade: string[];
}

/**
 * Finds stored mail and uploads that have no registration (a lost event, a handler that kept failing) and
 * re-drives them. Objects younger than `graceMinutes` are still on their way; older than `windowHours` were
 * covered by earlier runs. A pass at a process's start-up uses grace 0 with the clock at the start: nothing
 * stored before it can be in flight any more, so mail that arrived just before a crash is not hidden.
 */
export async function reconcile(
  deps: ReconcileDeps,
  opts: { windowHours: number; graceMinutes: number },
): Promise<ReconcileResult> {
  const now = deps.clock().getTime();
  const from = now - opts.windowHours * 3_600_000;
  const until = now - opts.graceMinutes * 60_000;
  const saknade: string[] = [];
  let granskade = 0;
  for (const inkorg of INKORGAR) {
    for (const o of await deps.store.listIncoming(inkorg)) {
      const t = Date.parse(o.lastModified);
      if (t < from || t > until) continue;
      granskade++;
      const { bytes } = await deps.store.get(o.key);
      if (await deps.repo.findBySource(sourceKeyFor(inkorg, bytes))) continue;
      saknade.push(o.key);
      deps.log('warn', 'Objekt utan registrering; skickas till ingest igen', { nyckel: o.key });
      await deps.redrive(o);
    }
  }
  return { granskade, saknade };
}
