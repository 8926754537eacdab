import type { Log } from '../../domain/log.js';
import { reconcile, type ReconcileResult } from '../../domain/ingest/reconcile.js';
import { buildDeps } from '../../functions/reconcile/deps.js';
import type { LocalFunctions } from './functions.js';
import type { Defer } from './lifecycle.js';

// The handler takes a Lambda context it does not read.
const ctx = {} as never;

/**
 * The reconciliation as on AWS (the reconcile Lambda on a schedule, re-driving through SQS to the ingest),
 * plus one pass at start-up. The local ingest queue lives in memory, so a stack stopped or killed between
 * storing a mail (SMTP's 250) and its ingest leaves only the stored object: the start-up pass re-drives every
 * stored object without a registration.
 *
 * The start-up pass has no grace period and no window, counted from the moment this stack started: nothing
 * stored before that can still be in flight (the previous process and its in-memory queue are gone), and
 * anything stored after it arrives through the live S3 event path, so no object is driven by both. The
 * scheduled runs keep the Lambda's own 48 h window and 15 min grace (a mail of a minute ago may be queued).
 */
export function startReconciliation(opts: {
  config: Record<string, string>;
  fns: Pick<LocalFunctions, 'reconcile'>;
  /** 0 = no scheduled runs (the start-up pass still runs). */
  intervalMs: number;
  log: Log;
  defer: Defer;
}): { startup: Promise<ReconcileResult | null> } {
  const { log } = opts;
  const startedAt = new Date();
  let stopped = false;
  const running = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T | null> => {
    const settled = p.catch((err: unknown) => {
      // A pass cut short by the stack stopping is expected; anything else is worth telling.
      if (!stopped)
        log('error', `Avstämningen misslyckades: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });
    running.add(settled);
    void settled.finally(() => running.delete(settled));
    return settled;
  };

  const deps = buildDeps(opts.config);
  const startup = track(
    reconcile(
      {
        ...deps,
        clock: () => startedAt,
        // Stopping cuts the pass short rather than waiting for it to walk the whole bucket.
        redrive: (o) => (stopped ? Promise.reject(new Error('stoppad')) : deps.redrive(o)),
      },
      { windowHours: Number.POSITIVE_INFINITY, graceMinutes: 0 },
    ).then((r) => {
      if (r.saknade.length > 0) {
        log(
          'info',
          `Avstämning vid start: ${r.saknade.length} ${r.saknade.length === 1 ? 'lagrat objekt' : 'lagrade objekt'} utan registrering skickades till ingest.`,
        );
      }
      return r;
    }),
  );

  const timer =
    opts.intervalMs > 0
      ? setInterval(() => {
          if (running.size > 0) return;
          void track(opts.fns.reconcile(undefined, ctx));
        }, opts.intervalMs)
      : null;
  timer?.unref();
  opts.defer(async () => {
    stopped = true;
    if (timer) clearInterval(timer);
    await Promise.all(running);
  });
  return { startup };
}
