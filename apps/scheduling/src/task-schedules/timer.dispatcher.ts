import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { RequestDispatcher } from '@projectflo/platform/service';
import { TaskTimersStarter } from './task-timers.starter';
import type { TaskTimersInput } from './task-timers.types';
import { TimerRequestsRepository } from './timer-requests.repository';

/**
 * Signals (or starts) the task timers workflows the consumers recorded in `timer_requests`, after
 * their transactions committed (platform/service RequestDispatcher: an outage is a wait, with
 * backoff). A crash between a signal and the delete signals again: the workflow just reads its
 * schedule once more.
 */
@Injectable()
export class TimerDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly dispatcher: RequestDispatcher<TaskTimersInput>;

  constructor(requests: TimerRequestsRepository, starter: TaskTimersStarter, @Inject(CLOCK) clock: Clock, @Inject(LOGGER) logger: Logger) {
    this.dispatcher = new RequestDispatcher({ name: 'task timer', queue: requests, dispatch: (request) => starter.signal(request.input), clock, logger });
  }

  onApplicationBootstrap(): void {
    this.dispatcher.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.dispatcher.stop();
  }
}
