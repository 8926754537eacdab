import type { DocumentReader, HandlingRegistry } from '../diarium/ports.js';
import { INKORGAR, type IncomingLister, type RecordRetention } from '../document-archive.js';
import type { Log } from '../log.js';
import { sourceKeyFor } from './source-key.js';

export interface ReconcileDeps {
  store: DocumentReader & IncomingLister & RecordRetention;
  repo: HandlingRegistry;
  /** Puts the object back on the ingest queue, as its S3 event would have. */
  redrive: (object: { key: string; lastModified: string }) => Promise<void>;
  clock: () => Date;
  log: Log;
}

export interface ReconcileResult {
  granskade: number;
  /** Objects without a registration (a lost event, an ingest that kept failing): alarmed on. */
  saknade: string[];
  /** Registered, but their ingest stopped before it finished (still being read, unanswered, not taken out). */
  ofardiga: string[];
}

/**
 * Finds stored mail and uploads that have no registration (a lost event, a handler that kept failing), or whose
 * ingest stopped after registering them, and re-drives them. The ingest takes every finished object out of its
 * inbox, so the listing is as long as the backlog, not the bucket's history. Objects younger than `graceMinutes` are still on their way; older than `windowHours` were
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
  const ofardiga: string[] = [];
  let granskade = 0;
  for (const inkorg of INKORGAR) {
    for (const o of await deps.store.listIncoming(inkorg)) {
      const t = Date.parse(o.lastModified);
      if (t < from || t > until) continue;
      granskade++;
      const { bytes, versionId } = await deps.store.get(o.key);
      // A registered object was retained by its ingest (retention comes before registration).
      const registered = await deps.repo.findBySource(sourceKeyFor(inkorg, bytes));
      if (registered) {
        // Registered before arrivals were filed with the handling: its file is this object, which stays.
        if (registered.filer.some((f) => f.nyckel === o.key)) continue;
        ofardiga.push(o.key);
        deps.log('warn', 'Registrerat objekt vars ingest inte blev klar; skickas till ingest igen', {
          nyckel: o.key,
          diarienummer: registered.diarienummer,
        });
        await deps.redrive(o);
        continue;
      }
      saknade.push(o.key);
      deps.log('warn', 'Objekt utan registrering; skickas till ingest igen', { nyckel: o.key });
      // Retained here too, so an object whose ingest keeps failing is still kept for the retention period.
      await deps.store.retain({ key: o.key, versionId });
      await deps.redrive(o);
    }
  }
  return { granskade, saknade, ofardiga };
}
