export interface BackoffOptions {
  /** First delay after a failure. */
  readonly initialMs: number;
  /** Upper bound of the exponential growth. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 10_000 };

/** Exponential backoff with "equal jitter", so many retrying processes do not stampede together. */
export function backoffDelay(failures: number, options: BackoffOptions): number {
  const exponential = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(Math.max(failures - 1, 0), 20));
  return exponential / 2 + Math.random() * (exponential / 2);
}

/** A sleep that an owner can cut short (on stop), so shutdown never waits out a long backoff. */
export class InterruptibleSleep {
  private wakers = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  interruptAll(): void {
    for (const wake of [...this.wakers]) wake();
  }
}
