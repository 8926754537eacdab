import { ExtractionAbortError } from './problems.js';

/** A per-document wall-clock budget, checked between steps and raced against long awaits. */
export class Deadline {
  private readonly end: number;
  constructor(budgetMs: number) {
    this.end = Date.now() + budgetMs;
  }

  remainingMs(): number {
    return this.end - Date.now();
  }

  check(): void {
    if (Date.now() >= this.end) throw new ExtractionAbortError('TIDSGRANS');
  }

  async race<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          reject(new ExtractionAbortError('TIDSGRANS'));
        },
        Math.max(0, this.remainingMs()),
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
