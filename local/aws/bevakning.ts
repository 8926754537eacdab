import type { Log } from '../../domain/log.js';
import { buildDeps } from '../../functions/bevakning/deps.js';
import { makeHandler } from '../../functions/bevakning/make-handler.js';
import type { Defer } from './lifecycle.js';

// The handler takes a Lambda context it does not read.
const ctx = {} as never;

/**
 * The bevakning as on AWS (the same handler EventBridge Scheduler invokes daily), on a timer: once at start-up and
 * then every `intervalMs` (an hour by default). Each run is idempotent per insats and step, so running it more
 * often than daily sends nothing twice; it only lets a stack started in the morning catch the day's reminders.
 */
export function startBevakning(opts: {
  config: Record<string, string>;
  intervalMs: number;
  log: Log;
  defer: Defer;
}): void {
  const handler = makeHandler(buildDeps(opts.config));
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = handler(undefined, ctx)
      .catch((err: unknown) => {
        if (!stopped)
          opts.log('error', `Bevakningen misslyckades: ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => (running = null));
  };
  run();
  const timer = opts.intervalMs > 0 ? setInterval(run, opts.intervalMs) : null;
  timer?.unref();
  opts.defer(async () => {
    stopped = true;
    if (timer) clearInterval(timer);
    await running;
  });
}
