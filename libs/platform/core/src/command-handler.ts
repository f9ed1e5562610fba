/*
 * Usage — services call this through CommandExecutor.run (@projectflo/platform/service):
 *
 *   const { state, version, events, duplicate, view } =
 *     await executor.run(leadDecider, streamName.lead(id), { type, data }, { context: ctx, expectedVersion, view: evolveLeadRow });
 *
 * `view` (optional) is the read model's pure fold of the stream (ViewFold): the reply is built
 * from it, folded from the events already read plus those just appended, so no second read.
 */
import { type Command, type Decider, foldState } from './decider';
import { DomainError, DomainErrorCode, VersionConflictError } from './errors';
import type { EventStore, StreamAppend } from './event-store.port';
import type { DomainEvent, EventMetadata, EventToAppend, RecordedEvent } from './events';
import { deriveId } from './ids';

/** An event of one stream as a read-model fold sees it: recorded, or just decided (its position known). */
export type StreamEvent<E extends DomainEvent = DomainEvent> = Pick<RecordedEvent<E>, 'eventId' | 'type' | 'data' | 'metadata' | 'streamPosition'>;

/**
 * A read model's pure fold of one stream, e.g. `evolveLeadRow`: the projection stores what it
 * returns (rowProjection in @projectflo/platform/persistence), a command replies with it and a
 * rebuild replays it, so the three can never disagree. Undefined until the stream's first event.
 */
export type ViewFold<Row> = (row: Row | undefined, event: StreamEvent) => Row | undefined;

/** A stream's events folded by a view. */
export function foldView<Row>(view: ViewFold<Row>, events: readonly StreamEvent[]): Row | undefined {
  return events.reduce<Row | undefined>(view, undefined);
}

export interface HandleOptions<Row = undefined> {
  /** Optimistic concurrency from the client: when set, a mismatch is reported, never retried. */
  readonly expectedVersion?: number;
  /** Retries on a version conflict when the client did not pin a version. */
  readonly maxRetries?: number;
  /** The read model's fold of this stream: the result carries the view after the command. */
  readonly view?: ViewFold<Row>;
}

export interface HandleResult<State, E extends DomainEvent, Row = undefined> {
  readonly state: State;
  /** Stream version after the command. */
  readonly version: number;
  /** Events this command produced (or, for a repeated request id, produced the first time). */
  readonly events: readonly (EventToAppend<E> | RecordedEvent<E>)[];
  /** True when the request id had already been handled and nothing was appended. */
  readonly duplicate: boolean;
  /** When the decision was to change nothing: the stream's last event, what the decision rested on (its reply's consistency token). */
  readonly head?: RecordedEvent<E>;
  /** The `view` option's fold of the whole stream after the command (undefined without one, or for an empty stream). */
  readonly view: Row | undefined;
}

/** The first event of a type among a command's events, typed (e.g. the LeadNoteAdded an AddLeadNote produced). */
export function eventOf<E extends DomainEvent, T extends E['type']>(events: readonly EventToAppend<E>[], type: T): Extract<E, { type: T }> {
  const found = events.find((e) => e.type === type);
  if (!found) throw new Error(`the command produced no ${type}`);
  return { type: found.type, data: found.data } as Extract<E, { type: T }>;
}

/**
 * The one command-handler shape: load the stream, fold it, decide, append with the expected
 * version; retry a bounded number of times on a version conflict only. The request id makes the
 * command idempotent: a stream that already holds events of this request returns them instead.
 * A stream that belongs to another tenant is reported as not found.
 */
export async function handleCommand<State, C extends Command, E extends DomainEvent, Row = undefined>(
  store: EventStore,
  decider: Decider<State, C, E>,
  streamName: string,
  command: C,
  options: HandleOptions<Row> = {},
): Promise<HandleResult<State, E, Row>> {
  const maxRetries = options.expectedVersion === undefined ? (options.maxRetries ?? 3) : 0;
  for (let attempt = 0; ; attempt++) {
    const decision = await decideOnStream(store, decider, streamName, command, options);
    if (decision.append === undefined) return decision.result;
    try {
      const appended = await store.appendToStream(streamName, decision.append.events, decision.append.expectedVersion);
      return { ...decision.result, version: appended.nextExpectedVersion };
    } catch (error) {
      if (error instanceof VersionConflictError && attempt < maxRetries) continue;
      throw error;
    }
  }
}

/** One stream's part of a command: the result it will have, and what to append for it (if anything). */
export interface StreamDecision<State, E extends DomainEvent, Row = undefined> {
  /** The state and events after the append; `version` is the stream's version before it. */
  readonly result: HandleResult<State, E, Row>;
  /** Absent when nothing is to be appended (a repeated request id, or a decision of no events). */
  readonly append?: StreamAppend;
}

/**
 * Everything handleCommand does before appending, for one stream: read it, check its tenant,
 * recognise a repeated request id, honour a pinned expected version, fold and decide. Handlers
 * that write several streams at once (handleCommandsAtomically) decide each stream with it.
 */
export async function decideOnStream<State, C extends Command, E extends DomainEvent, Row = undefined>(
  store: EventStore,
  decider: Decider<State, C, E>,
  streamName: string,
  command: C,
  options: HandleOptions<Row> = {},
): Promise<StreamDecision<State, E, Row>> {
  const { version, events } = await store.readStream(streamName);
  const owner = events[0]?.metadata.tenantId;
  if (owner !== undefined && owner !== command.metadata.tenantId) {
    throw DomainError.notFound(decider.aggregate, streamName);
  }
  const earlier = events.filter((e) => e.metadata.requestId === command.metadata.requestId);
  const state = foldState(decider, events);
  const view = (added: readonly StreamEvent[] = []) => (options.view ? foldView(options.view, [...events, ...added]) : undefined);
  if (earlier.length > 0) {
    assertSameRequest(earlier, command);
    return { result: { state, version, events: earlier as RecordedEvent<E>[], duplicate: true, view: view() } };
  }
  if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
    throw new VersionConflictError(streamName, options.expectedVersion, version);
  }
  const decided = decider.decide(command, state);
  if (decided.length === 0) {
    const head = events.at(-1) as RecordedEvent<E> | undefined;
    return { result: { state, version, events: [], duplicate: false, view: view(), ...(head !== undefined ? { head } : {}) } };
  }
  const toAppend = decided.map((event, index) => toEventToAppend(event, index, streamName, command, decider.schemaVersions));
  const added = toAppend.map((event, index) => ({ ...event, streamPosition: version + index + 1 }));
  return {
    result: { state: decided.reduce(decider.evolve, state), version, events: toAppend, duplicate: false, view: view(added) },
    append: { streamName, events: toAppend, expectedVersion: version === 0 ? 'no_stream' : version },
  };
}

/** One stream's command, for handleCommandsAtomically. */
export interface StreamCommand<State, C extends Command, E extends DomainEvent, Row = undefined> {
  readonly decider: Decider<State, C, E>;
  readonly streamName: string;
  readonly command: C;
  readonly options?: HandleOptions<Row>;
}

/** Builds a StreamCommand with its types inferred (a list may mix deciders). */
export function onStream<State, C extends Command, E extends DomainEvent, Row = undefined>(
  decider: Decider<State, C, E>,
  streamName: string,
  command: C,
  options?: HandleOptions<Row>,
): StreamCommand<State, C, E, Row> {
  return { decider, streamName, command, options };
}

/**
 * A command that writes several streams — a reservation and the aggregate that holds it, say —
 * all or nothing: each stream is decided as handleCommand decides it, then every stream's events
 * go into one EventStore.appendToStreams. A version conflict on any stream retries the whole
 * command (a bounded number of times, none when a stream's expected version is pinned); a failure
 * of any decision appends nothing. Results come in the order of `commands`.
 */
export async function handleCommandsAtomically(
  store: EventStore,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry keeps its own decider's types (see onStream)
  commands: readonly StreamCommand<any, any, any, any>[],
  options: { readonly maxRetries?: number } = {},
): Promise<HandleResult<unknown, DomainEvent, unknown>[]> {
  const pinned = commands.some((c) => c.options?.expectedVersion !== undefined);
  const maxRetries = pinned ? 0 : (options.maxRetries ?? 3);
  for (let attempt = 0; ; attempt++) {
    const decisions: StreamDecision<unknown, DomainEvent, unknown>[] = [];
    for (const c of commands) decisions.push(await decideOnStream(store, c.decider, c.streamName, c.command, c.options));
    const appends = decisions.flatMap((d) => (d.append ? [d.append] : []));
    if (appends.length === 0) return decisions.map((d) => d.result);
    try {
      const appended = await store.appendToStreams(appends);
      const versions = new Map(appends.map((a, i) => [a.streamName, appended[i].nextExpectedVersion]));
      return decisions.map((d) => (d.append ? { ...d.result, version: versions.get(d.append.streamName) ?? d.result.version } : d.result));
    } catch (error) {
      if (error instanceof VersionConflictError && attempt < maxRetries) continue;
      throw error;
    }
  }
}

/**
 * A request id is the idempotency key of one request: repeated with the same request it returns
 * the first result; repeated with a different one (both fingerprinted by the gRPC edge) it is
 * ALREADY_EXISTS, the rule of an IngestExternalEvent idempotency key.
 */
function assertSameRequest(earlier: readonly RecordedEvent[], command: Command): void {
  const first = earlier[0]?.metadata.requestFingerprint;
  const now = command.metadata.requestFingerprint;
  if (first === undefined || now === undefined || first === now) return;
  const { requestId } = command.metadata;
  throw new DomainError(
    DomainErrorCode.AlreadyExists,
    `request id ${requestId} was already used for a different request: send a new x-request-id for a new request`,
    [],
    { what: 'request id', id: requestId },
  );
}

function toEventToAppend<E extends DomainEvent>(
  event: E,
  index: number,
  streamName: string,
  command: Command,
  schemaVersions: Readonly<Record<string, number>>,
): EventToAppend<E> {
  const m = command.metadata;
  const metadata: EventMetadata = {
    tenantId: m.tenantId,
    actorId: m.actorId,
    actorKind: m.actorKind,
    requestId: m.requestId,
    correlationId: m.correlationId ?? m.requestId,
    causationId: m.causationId ?? m.requestId,
    occurredAt: m.now.toISOString(),
    ...(m.automationDepth !== undefined ? { automationDepth: m.automationDepth } : {}),
    ...(m.requestFingerprint !== undefined ? { requestFingerprint: m.requestFingerprint } : {}),
  };
  return {
    eventId: deriveId('event', m.tenantId, m.requestId, streamName, index),
    type: event.type,
    data: event.data,
    schemaVersion: schemaVersions[event.type] ?? 1,
    metadata,
  };
}
