import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Deadline } from './deadline.js';
import { ExtractionAbortError } from './problems.js';

/**
 * Swedish OCR with tesseract.js, fully offline. Loaded only by dynamic import when a page needs it.
 * Without an explicit langPath tesseract.js fetches from a CDN and can crash the process, so the
 * language data always comes from @tesseract.js-data/swe (4.0.0_best_int, gzip).
 */
export interface OcrPool {
  recognize(image: Uint8Array): Promise<string>;
  terminate(): Promise<void>;
}

/** One page recognised: the local tools show OCR progress from this (on Lambda nobody listens). */
export interface OcrProgress {
  done: number;
  total: number;
}
const progressListeners = new Set<(p: OcrProgress) => void>();

/** Listens to OCR progress in this process; returns the unsubscribe. */
export function onOcrProgress(listener: (p: OcrProgress) => void): () => void {
  progressListeners.add(listener);
  return () => progressListeners.delete(listener);
}

export function reportOcrProgress(p: OcrProgress): void {
  for (const l of progressListeners) l(p);
}

function sweLangPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tesseract.js-data/swe/package.json')), '4.0.0_best_int');
}

export function ocrWorkerCount(pages: number, configured: number): number {
  return Math.max(1, Math.min(pages, configured, availableParallelism()));
}

export async function createOcrPool(workers: number): Promise<OcrPool> {
  const tesseract = (await import('tesseract.js')).default;
  const scheduler = tesseract.createScheduler();
  const langPath = sweLangPath();
  let failure: unknown = null;
  const created = await Promise.allSettled(
    Array.from({ length: workers }, () =>
      tesseract.createWorker('swe', tesseract.OEM.LSTM_ONLY, {
        langPath,
        gzip: true,
        cacheMethod: 'none',
        errorHandler: (err: unknown) => {
          failure = err;
        },
      }),
    ),
  );
  for (const r of created) if (r.status === 'fulfilled') scheduler.addWorker(r.value);
  if (scheduler.getNumWorkers() === 0) {
    await scheduler.terminate();
    throw new Error('OCR could not start', { cause: failure });
  }
  return {
    async recognize(image) {
      const result = await scheduler.addJob(
        'recognize',
        Buffer.from(image.buffer, image.byteOffset, image.byteLength),
      );
      return result.data.text;
    },
    async terminate() {
      await scheduler.terminate();
    },
  };
}

/**
 * Starts a pool within the deadline; a pool that finishes starting after the deadline is shut down. Losing a race
 * only stops the waiting, so the pool also terminates its workers itself when the deadline passes: a page being
 * recognised then stops at once instead of running on into the next document's (or the next mail's) time.
 */
export async function startOcrPool(
  workers: number,
  deadline: Pick<Deadline, 'race' | 'onExpire'>,
): Promise<OcrPool> {
  const starting = createOcrPool(workers);
  let pool: OcrPool;
  try {
    pool = await deadline.race(starting);
  } catch (err) {
    starting.then(
      (p) => p.terminate(),
      () => undefined,
    );
    throw err;
  }
  // Pages waiting on a stopped pool fail at once instead of waiting forever on a terminated worker.
  let fail: (err: Error) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    fail = reject;
  });
  stopped.catch(() => undefined);
  let stopping: Promise<void> | null = null;
  const stop = (reason: Error): Promise<void> => {
    fail(reason);
    // One macrotask later: a page handed to a worker is posted to it a few microtasks after, and tesseract.js
    // posts to a worker terminated in between without catching the error (an unhandled rejection).
    return (stopping ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => pool.terminate()));
  };
  const cancel = deadline.onExpire(() => {
    stop(new ExtractionAbortError('TIDSGRANS')).catch(() => undefined);
  });
  return {
    // A stopped pool takes no new page (tesseract.js would hand it to a terminated worker).
    recognize: (image) => (stopping ? stopped : Promise.race([pool.recognize(image), stopped])),
    async terminate() {
      cancel();
      await stop(new Error('OCR pool terminated'));
    },
  };
}
