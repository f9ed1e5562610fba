import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { type BackoffOptions, backoffDelay, InterruptibleSleep } from '@projectflo/platform/messaging';
import { TaskTimersStarter } from './task-timers.starter';
import { type PendingTimerRequest, TimerRequestsRepository } from './timer-requests.repository';

const POLL_MS = 100;
const BATCH = 50;
const RETRY: BackoffOptions = { initialMs: 500, maxMs: 5_000 };

/**
 * Signals (or starts) the task timers workflows the consumers recorded in `timer_requests`, after
 * their transactions committed, then deletes the request it signalled. A failed signal (Temporal
 * down or restarting) leaves the request with a later attempt time and backs off: an outage is a
 * wait. A crash between the signal and the delete signals again: the workflow just reads its
 * schedule once more. The same loop as the task-engine's ExpansionDispatcher.
 */
@Injectable()
export class TimerDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly sleeper = new InterruptibleSleep();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private failures = 0;

  constructor(
    private readonly requests: TimerRequestsRepository,
    private readonly starter: TaskTimersStarter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.sleeper.interruptAll();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let full = false;
      try {
        full = await this.dispatchDue();
        this.failures = 0;
      } catch (error) {
        this.failures++;
        this.logger.warn('timer requests wait: signalling task timers failed; retrying', { attempt: this.failures, err: error });
      }
      if (!full || this.failures > 0) await this.sleeper.sleep(this.failures > 0 ? backoffDelay(this.failures, RETRY) : POLL_MS);
    }
  }

  private async dispatchDue(): Promise<boolean> {
    const due = await this.requests.due(this.clock.now(), BATCH);
    for (const request of due) {
      if (this.stopping) return false;
      await this.dispatch(request);
    }
    return due.length === BATCH;
  }

  private async dispatch(request: PendingTimerRequest): Promise<void> {
    try {
      await this.starter.signal(request.input);
    } catch (error) {
      const retryAt = new Date(this.clock.now().getTime() + backoffDelay(request.attempts + 1, RETRY));
      await this.requests.postpone(request.workflowId, retryAt, error instanceof Error ? error.message : String(error));
      throw error;
    }
    await this.requests.signalled(request);
  }
}
