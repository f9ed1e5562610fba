/*
 * Usage — a commands class validates the request, writes the command's intent and runs it on
 * behalf of the caller; the reply comes from what `run` returns (the state, or the read model's
 * view fold), never from a second read:
 *
 *   const { view } = await this.executor.run(leadDecider, streamName.lead(leadId),
 *     { type: 'ArchiveLead', data: { leadId, reason } }, { context: ctx, expectedVersion, view: evolveLeadRow });
 *
 * The executor builds the command's metadata from the gRPC context and its clock; a consumer or an
 * activity that already holds metadata (automationMetadata) passes `{ metadata }` instead.
 * Facts a decision needs from other aggregates come from `load` and travel in the command.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  type Clock,
  CLOCK,
  type Command,
  type CommandMetadata,
  type Decider,
  type DomainEvent,
  type EventStore,
  type Fold,
  foldState,
  type HandleOptions,
  type HandleResult,
  handleCommand,
  handleCommandsAtomically,
} from '@projectflo/platform/core';
import { type CommandContext, toCommandMetadata } from '@projectflo/platform/grpc';
import { resolveTopic } from '@projectflo/platform/messaging';
import type { EventSourcedServiceOptions } from './service-options';
import { EVENT_STORE, SERVICE_OPTIONS } from './tokens';

/** A command as a service writes it: its type and data (each member of a union keeps its own). The executor adds the metadata. */
export type CommandIntent<C extends Command> = C extends Command ? Omit<C, 'metadata'> : never;

/**
 * On whose behalf a command runs: a gRPC caller's context (the executor stamps `now` from its
 * clock) or the metadata a consumer or activity built (automationMetadata).
 */
export type CommandIssuer =
  | { readonly context: CommandContext; readonly metadata?: never }
  | { readonly metadata: CommandMetadata; readonly context?: never };

/** The tenant a command runs for, whichever way it is issued. */
export function issuerTenantId(issuer: CommandIssuer): string {
  return issuer.context !== undefined ? issuer.context.tenantId : issuer.metadata.tenantId;
}

/** The options of one stream's command: the client's pinned version and the read model's fold. */
export type StreamOptions<Row = undefined> = Pick<HandleOptions<Row>, 'expectedVersion' | 'view'>;

/** What `run` accepts besides the command: who issues it, and the stream's options. */
export type RunOptions<Row = undefined> = CommandIssuer & StreamOptions<Row>;

/** One entry of runAtomically; build it with `commandOn`. */
export interface StreamIntent<S, C extends Command, E extends DomainEvent, Row = undefined> {
  readonly decider: Decider<S, C, E>;
  readonly streamName: string;
  readonly intent: CommandIntent<C>;
  readonly options?: StreamOptions<Row>;
}

/** Builds a runAtomically entry with its types inferred (a list may mix deciders). */
export function commandOn<S, C extends Command, E extends DomainEvent, Row = undefined>(
  decider: Decider<S, C, E>,
  streamName: string,
  intent: CommandIntent<C>,
  options?: StreamOptions<Row>,
): StreamIntent<S, C, E, Row> {
  return { decider, streamName, intent, options };
}

/** The result of each entry of runAtomically, typed by its own decider and view. */
export type AtomicResults<T extends readonly unknown[]> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- matched only to infer the entry's own types
  readonly [K in keyof T]: T[K] extends StreamIntent<infer S, any, infer E, infer Row> ? HandleResult<S, E, Row> : never;
};

/** The one command-handler shape (core's handleCommand) bound to the service's event store and clock. */
@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_OPTIONS) private readonly options: Pick<EventSourcedServiceOptions, 'topics'> = { topics: {} },
  ) {}

  /**
   * Runs one command against one stream: read, fold, decide, append with the expected version
   * (conflicts retried unless the client pinned `expectedVersion`). Returns the state and version
   * after it, the events it produced (or, for a repeated request id, the first time), and the
   * `view` fold of the whole stream when one is given.
   */
  async run<S, C extends Command, E extends DomainEvent, Row = undefined>(
    decider: Decider<S, C, E>,
    streamName: string,
    intent: CommandIntent<C>,
    options: RunOptions<Row>,
  ): Promise<HandleResult<S, E, Row>> {
    const result = await handleCommand(this.store, decider, streamName, commandOf<C>(intent, this.metadata(options)), options);
    this.recordWrites(options, streamName, result);
    return result;
  }

  /**
   * A command that writes several streams, all or nothing (core's handleCommandsAtomically), every
   * entry under the same metadata; build each entry with `commandOn(decider, streamName, intent, options)`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry keeps its own decider's types
  async runAtomically<const T extends readonly StreamIntent<any, any, any, any>[]>(entries: T, issuer: CommandIssuer): Promise<AtomicResults<T>> {
    const metadata = this.metadata(issuer);
    const commands = entries.map(({ decider, streamName, intent, options }) => ({ decider, streamName, command: commandOf(intent, metadata), options }));
    const results = await handleCommandsAtomically(this.store, commands);
    results.forEach((result, index) => this.recordWrites(issuer, entries[index]!.streamName, result));
    return results as AtomicResults<T>;
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

  /**
   * Records, for a gRPC caller's reply, what the command wrote on a published stream (or, when it
   * changed nothing, the stream's last event): the reply's consistency token.
   */
  private recordWrites(issuer: CommandIssuer, streamName: string, result: HandleResult<unknown, DomainEvent, unknown>): void {
    const log = issuer.context?.writes;
    if (log === undefined) return;
    const topic = resolveTopic(streamName, this.options.topics);
    if (topic === undefined) return;
    const events = result.events.length > 0 ? result.events : result.head !== undefined ? [result.head] : [];
    for (const event of events) log.record(streamName, { topic, type: event.type, eventId: event.eventId });
  }

  /** The command's metadata: as given, or the gRPC caller's timed by the executor's clock. */
  private metadata(issuer: CommandIssuer): CommandMetadata {
    return issuer.context !== undefined ? toCommandMetadata(issuer.context, this.clock) : issuer.metadata;
  }
}

function commandOf<C extends Command>(intent: CommandIntent<C>, metadata: CommandMetadata): C {
  return { ...intent, metadata } as C;
}
