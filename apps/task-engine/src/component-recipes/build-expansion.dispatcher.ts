import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { RequestDispatcher } from '@projectflo/platform/service';
import { BuildExpansionRequests, BuildExpansionStarter } from './build-expansion.starter';
import type { BuildExpansionInput } from './build-expansion.types';

/** Starts the build expansions the BuildBooked consumer recorded, after their transactions committed (platform/service RequestDispatcher). */
@Injectable()
export class BuildExpansionDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly dispatcher: RequestDispatcher<BuildExpansionInput>;

  constructor(requests: BuildExpansionRequests, starter: BuildExpansionStarter, @Inject(CLOCK) clock: Clock, @Inject(LOGGER) logger: Logger) {
    this.dispatcher = new RequestDispatcher({ name: 'build expansion', queue: requests, dispatch: (request) => starter.start(request.input), clock, logger });
  }

  onApplicationBootstrap(): void {
    this.dispatcher.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.dispatcher.stop();
  }
}
