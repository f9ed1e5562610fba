import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { type BackoffOptions, backoffDelay, InterruptibleSleep } from '@projectflo/platform/messaging';
import { NotificationRequestsRepository, type PendingNotification } from './notification-requests.repository';
import { NotificationStarter } from './notification.starter';

/** How often an idle dispatcher looks for new requests (the relay polls the store as often). */
const POLL_MS = 100;
const BATCH = 50;
/** Between failed attempts at one request, and between passes while Temporal keeps failing. */
const RETRY: BackoffOptions = { initialMs: 500, maxMs: 5_000 };

/**
 * Starts the notifications the trigger consumer recorded (`notification_requests`), after their
 * transactions committed: read the due requests, start each workflow (startOnce, idempotent by
 * its business id), then delete the request. A failed start (Temporal down or restarting) leaves
 * the request in place with a later attempt time and the dispatcher backs off: an outage is a
 * wait, and the requests made meanwhile start once Temporal answers again. A crash after a start
 * but before the delete starts nothing twice: the next start finds the workflow by its id.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly sleeper = new InterruptibleSleep();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private failures = 0;

  constructor(
    private readonly requests: NotificationRequestsRepository,
    private readonly starter: NotificationStarter,
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
        this.logger.warn('notification requests wait: starting them failed; retrying', { attempt: this.failures, err: error });
      }
      if (!full || this.failures > 0) await this.sleeper.sleep(this.failures > 0 ? backoffDelay(this.failures, RETRY) : POLL_MS);
    }
  }

  /** Starts one batch of due requests; true when the batch was full (more may be due). Throws at the first failed start. */
  private async dispatchDue(): Promise<boolean> {
    const due = await this.requests.due(this.clock.now(), BATCH);
    for (const request of due) {
      if (this.stopping) return false;
      await this.dispatch(request);
    }
    return due.length === BATCH;
  }

  private async dispatch(request: PendingNotification): Promise<void> {
    try {
      await this.starter.start(request.input);
    } catch (error) {
      const retryAt = new Date(this.clock.now().getTime() + backoffDelay(request.attempts + 1, RETRY));
      await this.requests.postpone(request.workflowId, retryAt, error instanceof Error ? error.message : String(error));
      throw error;
    }
    await this.requests.started(request.workflowId);
  }
}
