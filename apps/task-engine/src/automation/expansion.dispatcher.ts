import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { RequestDispatcher } from '@projectflo/platform/service';
import { ExpansionRequestsRepository } from './expansion-requests.repository';
import { ExpansionStarter } from './expansion.starter';
import type { ExpansionInput } from './expansion.types';

/**
 * Starts the expansions the trigger consumers recorded (`expansion_requests`), after their
 * transactions committed, with the platform's RequestDispatcher: several at a time, each by
 * startOnce (idempotent by its business id), then the request is deleted. A failed start (Temporal
 * down or restarting) leaves the request with a later attempt time and the dispatcher backs off:
 * an outage is a wait. A crash after a start but before the delete starts nothing twice.
 */
@Injectable()
export class ExpansionDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly dispatcher: RequestDispatcher<ExpansionInput>;

  constructor(requests: ExpansionRequestsRepository, starter: ExpansionStarter, @Inject(CLOCK) clock: Clock, @Inject(LOGGER) logger: Logger) {
    this.dispatcher = new RequestDispatcher({ name: 'expansion', queue: requests, dispatch: (request) => starter.start(request.input), clock, logger });
  }

  onApplicationBootstrap(): void {
    this.dispatcher.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.dispatcher.stop();
  }
}
