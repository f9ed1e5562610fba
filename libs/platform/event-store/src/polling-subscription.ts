import type { GlobalPosition, RecordedEvent, SubscribeOptions, Subscription } from '@projectflo/platform/core';

export interface PollingSubscriptionOptions extends SubscribeOptions {
  /** Reads up to `limit` events strictly after `after`, in commit order. */
  readonly read: (after: GlobalPosition | undefined, limit: number) => Promise<RecordedEvent[]>;
  /** Pause between reads once caught up; a `wake()` cuts it short. */
  readonly pollIntervalMs: number;
  /** Upper bound of the exponential backoff after a failed read or handler. */
  readonly maxBackoffMs: number;
}

export const DEFAULT_SUBSCRIPTION_BATCH_SIZE = 100;

/**
 * Follows the global log by reading batches after a checkpoint and handing each to `onEvents`,
 * advancing the checkpoint only after the handler resolved. A failed read (the database restarts)
 * or a failed handler is reported to `onError` and the same batch is retried with backoff, so
 * delivery is at least once and never skips: the subscription outlives the fault.
 */
export class PollingSubscription implements Subscription {
  private closed = false;
  private wakePending = false;
  private cancelSleep: (() => void) | undefined;
  private checkpoint: GlobalPosition | undefined;
  private readonly batchSize: number;
  private readonly running: Promise<void>;

  constructor(private readonly options: PollingSubscriptionOptions) {
    this.checkpoint = options.after;
    this.batchSize = options.batchSize ?? DEFAULT_SUBSCRIPTION_BATCH_SIZE;
    this.running = this.run();
  }

  /** The position of the last event whose batch was handled. */
  get position(): GlobalPosition | undefined {
    return this.checkpoint;
  }

  /** Tells the loop new events may exist, so it reads now rather than after its poll interval. */
  wake(): void {
    this.wakePending = true;
    this.cancelSleep?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelSleep?.();
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      let events: RecordedEvent[];
      try {
        events = await this.options.read(this.checkpoint, this.batchSize);
      } catch (error) {
        failures++;
        this.report(error);
        await this.sleep(this.backoff(failures));
        continue;
      }
      if (this.closed) break;
      if (events.length === 0) {
        await this.sleep(this.options.pollIntervalMs);
        continue;
      }
      try {
        await this.options.onEvents(events);
      } catch (error) {
        failures++;
        this.report(error);
        await this.sleep(this.backoff(failures));
        continue;
      }
      failures = 0;
      this.checkpoint = events[events.length - 1].globalPosition;
      // A short batch means we are caught up; a full one means more is probably waiting.
      if (events.length < this.batchSize) await this.sleep(this.options.pollIntervalMs);
    }
  }

  private report(error: unknown): void {
    try {
      if (this.options.onError) this.options.onError(error);
      else process.emitWarning(`event store subscription will retry after: ${error instanceof Error ? error.message : String(error)}`, 'EventStoreSubscriptionWarning');
    } catch {
      // An error reporter that throws must not stop the subscription it reports on.
    }
  }

  private backoff(failures: number): number {
    const base = Math.max(this.options.pollIntervalMs, 50);
    return Math.min(base * 2 ** Math.min(failures, 16), this.options.maxBackoffMs);
  }

  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.cancelSleep = undefined;
        this.wakePending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.cancelSleep = done;
    });
  }
}
