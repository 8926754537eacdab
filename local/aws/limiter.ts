/**
 * At most `concurrency` calls at once, the rest wait in order: what a Lambda's reserved concurrency or an
 * event source's maximum concurrency does on AWS, so a burst queues instead of starving the machine.
 */
export function limiter(concurrency: number): <T>(work: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
