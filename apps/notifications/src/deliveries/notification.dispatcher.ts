import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { RequestDispatcher } from '@projectflo/platform/service';
import { NotificationRequests } from './notification-requests.repository';
import { NotificationStarter } from './notification.starter';
import type { NotificationInput } from './notification.types';

/** Starts the notifications the trigger consumer recorded, after their transactions committed (platform/service RequestDispatcher). */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly dispatcher: RequestDispatcher<NotificationInput>;

  constructor(requests: NotificationRequests, starter: NotificationStarter, @Inject(CLOCK) clock: Clock, @Inject(LOGGER) logger: Logger) {
    this.dispatcher = new RequestDispatcher({ name: 'notification', queue: requests, dispatch: (request) => starter.start(request.input), clock, logger });
  }

  onApplicationBootstrap(): void {
    this.dispatcher.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.dispatcher.stop();
  }
}
