import { type Clock, systemClock } from '@projectflo/platform/core';
import { errorFields, type Logger } from '@projectflo/platform/logging';
import type { ConnectRetryOptions } from '@projectflo/platform/workflow';
import { type BackoffOptions, backoffDelay, classifyFailure } from '@projectflo/platform/messaging';

export interface StartupRetryOptions {
  /** Give up after this long in total; the process then exits non-zero (default 180 s). */
  readonly budgetMs?: number;
  readonly backoff?: BackoffOptions;
  readonly clock?: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Long enough for a broker, database or Temporal server that starts beside the services. */
export const STARTUP_BUDGET_MS = 180_000;
const STARTUP_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 5_000 };

/** A start-up step whose infrastructure stayed unavailable for the whole budget. */
export class StartupTimeoutError extends Error {
  override readonly name = 'StartupTimeoutError';

  constructor(
    readonly step: string,
    readonly attempts: number,
    budgetMs: number,
    cause: unknown,
  ) {
    super(`gave up waiting for ${step} after ${Math.round(budgetMs / 1000)} s (${attempts} attempts): ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}

/**
 * Runs one start-up step that needs infrastructure (`step` names what it waits for, e.g. "Kafka
 * topics"). While the failure is an outage (connection refused, a broker still electing leaders,
 * Postgres starting up: see classifyFailure) it retries with backoff and logs a line per attempt;
 * any other failure (bad SQL in a migration, a rejected configuration) fails at once. After the
 * budget it throws StartupTimeoutError, which main.ts reports before exiting non-zero.
 */
export async function retryStartupStep<T>(step: string, action: () => Promise<T>, logger: Logger, options: StartupRetryOptions = {}): Promise<T> {
  const budgetMs = options.budgetMs ?? STARTUP_BUDGET_MS;
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = clock.now().getTime() + budgetMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await action();
      if (attempt > 1) logger.info('start-up step ready', { step, attempts: attempt });
      return result;
    } catch (error) {
      if (classifyFailure(error) !== 'outage') throw error;
      const retryInMs = Math.round(backoffDelay(attempt, options.backoff ?? STARTUP_BACKOFF));
      if (clock.now().getTime() + retryInMs > deadline) throw new StartupTimeoutError(step, attempt, budgetMs, error);
      logger.warn('start-up waits for infrastructure', { waitingFor: step, attempt, retryInMs, ...errorFields(error) });
      await sleep(retryInMs);
    }
  }
}

/** The retry options of a Temporal connection at start-up: the same budget, and the same log line. */
export function temporalStartupRetry(logger: Logger, purpose: 'client' | 'worker'): ConnectRetryOptions {
  return {
    timeoutMs: STARTUP_BUDGET_MS,
    maxDelayMs: STARTUP_BACKOFF.maxMs,
    onRetry: (attempt, error) => logger.warn('start-up waits for infrastructure', { waitingFor: `Temporal (${purpose} connection)`, attempt, ...errorFields(error) }),
  };
}
