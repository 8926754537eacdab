/** Registers a service's shutdown as soon as it runs, so a start-up failing later still closes it. */
export type Defer = (stop: () => Promise<void> | void) => void;

/** Shutdown steps, run last-registered first; a failing step does not keep the rest from running. */
export class Stoppers {
  private readonly steps: (() => Promise<void> | void)[] = [];

  readonly defer: Defer = (stop) => {
    this.steps.push(stop);
  };

  async stopAll(): Promise<void> {
    for (const s of this.steps.splice(0).reverse()) {
      try {
        await s();
      } catch {
        // Shutting down: keep closing the rest.
      }
    }
  }
}

/**
 * A start-up failure the operator can fix (data already in use, a busy port, Java missing): `npm start`
 * prints its Swedish message alone, without a stack trace.
 */
export class StartRefusedError extends Error {}
