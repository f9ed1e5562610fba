import type { Command, Decider } from './decider';
import { DomainError, VersionConflictError } from './errors';
import type { EventStore } from './event-store.port';
import type { DomainEvent, EventMetadata, EventToAppend, RecordedEvent } from './events';
import { deriveId } from './ids';

export interface HandleOptions {
  /** Optimistic concurrency from the client: when set, a mismatch is reported, never retried. */
  readonly expectedVersion?: number;
  /** Retries on a version conflict when the client did not pin a version. */
  readonly maxRetries?: number;
  /** Human name of the aggregate for NOT_FOUND messages, e.g. "lead". */
  readonly aggregate?: string;
  /** Payload schema version per event type; 1 when absent. */
  readonly schemaVersions?: Readonly<Record<string, number>>;
}

export interface HandleResult<State, E extends DomainEvent> {
  readonly state: State;
  /** Stream version after the command. */
  readonly version: number;
  /** Events this command produced (or, for a repeated request id, produced the first time). */
  readonly events: readonly (EventToAppend<E> | RecordedEvent<E>)[];
  /** True when the request id had already been handled and nothing was appended. */
  readonly duplicate: boolean;
}

/**
 * The one command-handler shape: load the stream, fold it, decide, append with the expected
 * version; retry a bounded number of times on a version conflict only. The request id makes the
 * command idempotent: a stream that already holds events of this request returns them instead.
 * A stream that belongs to another tenant is reported as not found.
 */
export async function handleCommand<State, C extends Command, E extends DomainEvent>(
  store: EventStore,
  decider: Decider<State, C, E>,
  streamName: string,
  command: C,
  options: HandleOptions = {},
): Promise<HandleResult<State, E>> {
  const maxRetries = options.expectedVersion === undefined ? (options.maxRetries ?? 3) : 0;
  for (let attempt = 0; ; attempt++) {
    const { version, events } = await store.readStream(streamName);
    const owner = events[0]?.metadata.tenantId;
    if (owner !== undefined && owner !== command.metadata.tenantId) {
      throw DomainError.notFound(options.aggregate ?? 'stream', streamName);
    }
    const earlier = events.filter((e) => e.metadata.requestId === command.metadata.requestId);
    const state = events.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as E), decider.initialState());
    if (earlier.length > 0) {
      return { state, version, events: earlier as RecordedEvent<E>[], duplicate: true };
    }
    if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
      throw new VersionConflictError(streamName, options.expectedVersion, version);
    }
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { state, version, events: [], duplicate: false };
    const toAppend = decided.map((event, index) => toEventToAppend(event, index, streamName, command, options));
    try {
      const result = await store.appendToStream(streamName, toAppend, version === 0 ? 'no_stream' : version);
      const next = decided.reduce(decider.evolve, state);
      return { state: next, version: result.nextExpectedVersion, events: toAppend, duplicate: false };
    } catch (error) {
      if (error instanceof VersionConflictError && attempt < maxRetries) continue;
      throw error;
    }
  }
}

function toEventToAppend<E extends DomainEvent>(
  event: E,
  index: number,
  streamName: string,
  command: Command,
  options: HandleOptions,
): EventToAppend<E> {
  const m = command.metadata;
  const metadata: EventMetadata = {
    tenantId: m.tenantId,
    actorId: m.actorId,
    requestId: m.requestId,
    correlationId: m.correlationId ?? m.requestId,
    causationId: m.causationId ?? m.requestId,
    occurredAt: m.now.toISOString(),
    ...(m.automationDepth !== undefined ? { automationDepth: m.automationDepth } : {}),
  };
  return {
    eventId: deriveId('event', m.tenantId, m.requestId, streamName, index),
    type: event.type,
    data: event.data,
    schemaVersion: options.schemaVersions?.[event.type] ?? 1,
    metadata,
  };
}
