/*
 * Usage — a commands class validates the request, builds the command and runs it; the reply comes
 * from what `run` returns (the state, or the read model's view fold), never from a second read:
 *
 *   const { view, version } = await this.executor.run(leadDecider, streamName.lead(leadId),
 *     { type: 'ArchiveLead', data: { leadId, reason }, metadata: toCommandMetadata(ctx, this.clock) },
 *     { expectedVersion, view: evolveLeadRow });
 *
 * Facts a decision needs from other aggregates come from `load` and travel in the command.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  type Command,
  type Decider,
  type DomainEvent,
  type EventStore,
  type Fold,
  foldState,
  type HandleOptions,
  type HandleResult,
  type StreamCommand,
  handleCommand,
  handleCommandsAtomically,
} from '@projectflo/platform/core';
import { EVENT_STORE } from './tokens';

/** What `run` accepts besides the command: the client's pinned version and the read model's fold. */
export type RunOptions<Row = undefined> = Pick<HandleOptions<Row>, 'expectedVersion' | 'view'>;

/** The result of each entry of runAtomically, typed by its own decider and view. */
export type AtomicResults<T extends readonly unknown[]> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- matched only to infer the entry's own types
  readonly [K in keyof T]: T[K] extends StreamCommand<infer S, any, infer E, infer Row> ? HandleResult<S, E, Row> : never;
};

/** The one command-handler shape (core's handleCommand) bound to the service's event store. */
@Injectable()
export class CommandExecutor {
  constructor(@Inject(EVENT_STORE) readonly store: EventStore) {}

  /**
   * Runs one command against one stream: read, fold, decide, append with the expected version
   * (conflicts retried unless the client pinned `expectedVersion`). Returns the state and version
   * after it, the events it produced (or, for a repeated request id, the first time), and the
   * `view` fold of the whole stream when one is given.
   */
  run<S, C extends Command, E extends DomainEvent, Row = undefined>(
    decider: Decider<S, C, E>,
    streamName: string,
    command: C,
    options: RunOptions<Row> = {},
  ): Promise<HandleResult<S, E, Row>> {
    return handleCommand(this.store, decider, streamName, command, options);
  }

  /**
   * A command that writes several streams, all or nothing (core's handleCommandsAtomically); build
   * each entry with `onStream(decider, streamName, command, options)`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry keeps its own decider's types
  async runAtomically<const T extends readonly StreamCommand<any, any, any, any>[]>(commands: T): Promise<AtomicResults<T>> {
    return (await handleCommandsAtomically(this.store, commands)) as AtomicResults<T>;
  }

  /**
   * The current state of an aggregate (for facts another decision needs), folded from its stream;
   * another tenant's stream is reported as not existing.
   */
  async load<S, E extends DomainEvent>(fold: Fold<S, E>, streamName: string, tenantId: string): Promise<{ state: S; version: number; exists: boolean }> {
    const { version, events } = await this.store.readStream(streamName);
    if (events.length > 0 && events[0].metadata.tenantId !== tenantId) {
      return { state: fold.initialState(), version: 0, exists: false };
    }
    return { state: foldState(fold, events), version, exists: version > 0 };
  }
}
