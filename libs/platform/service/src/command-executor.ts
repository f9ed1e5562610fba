import { Inject, Injectable } from '@nestjs/common';
import {
  type Command,
  type Decider,
  type DomainEvent,
  type EventStore,
  type HandleOptions,
  type HandleResult,
  type StreamCommand,
  handleCommand,
  handleCommandsAtomically,
} from '@projectflo/platform/core';
import { EVENT_STORE } from './tokens';

/** The one command-handler shape (core's handleCommand) bound to the service's event store. */
@Injectable()
export class CommandExecutor {
  constructor(@Inject(EVENT_STORE) readonly store: EventStore) {}

  execute<S, C extends Command, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    streamName: string,
    command: C,
    options?: HandleOptions,
  ): Promise<HandleResult<S, E>> {
    return handleCommand(this.store, decider, streamName, command, options);
  }

  /**
   * A command that writes several streams, all or nothing (core's handleCommandsAtomically); build
   * each entry with `onStream(decider, streamName, command, options)`.
   */
  executeAtomically(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry keeps its own decider's types
    commands: readonly StreamCommand<any, any, any>[],
  ): Promise<HandleResult<unknown, DomainEvent>[]> {
    return handleCommandsAtomically(this.store, commands);
  }

  /** The current state of an aggregate (for facts another decider needs), folded from its stream. */
  async load<S, C extends Command, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    streamName: string,
    tenantId: string,
  ): Promise<{ state: S; version: number; exists: boolean }> {
    const { version, events } = await this.store.readStream(streamName);
    if (events.length > 0 && events[0].metadata.tenantId !== tenantId) {
      return { state: decider.initialState(), version: 0, exists: false };
    }
    const state = events.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as E), decider.initialState());
    return { state, version, exists: version > 0 };
  }
}
