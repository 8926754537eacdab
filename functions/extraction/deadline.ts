import { ExtractionAbortError } from './problems.js';

/**
 * A wall-clock budget (one mail, or one document), checked between steps, raced against long awaits and able to
 * stop work that would otherwise run on after the race was lost (OCR workers).
 */
export class Deadline {
  private readonly end: number;
  constructor(budgetMs: number, parent?: Deadline) {
    this.end = Math.min(Date.now() + budgetMs, parent ? parent.end : Infinity);
  }

  /** A budget for one part of this one: it ends after `budgetMs` or with this one, whichever comes first. */
  within(budgetMs: number): Deadline {
    return new Deadline(budgetMs, this);
  }

  remainingMs(): number {
    return this.end - Date.now();
  }

  expired(): boolean {
    return this.remainingMs() <= 0;
  }

  check(): void {
    if (this.expired()) throw new ExtractionAbortError('TIDSGRANS');
  }

  /** Calls `stop` when the deadline passes (soon after, if it has); returns a function that cancels the call. */
  onExpire(stop: () => void): () => void {
    const timer = setTimeout(stop, Math.max(0, this.remainingMs()));
    return () => {
      clearTimeout(timer);
    };
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
