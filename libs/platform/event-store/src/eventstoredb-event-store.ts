import {
  ANY,
  EventStoreDBClient,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type JSONType,
  type Position,
} from '@eventstore/db-client';
import {
  DomainError,
  VersionConflictError,
  compareGlobalPositions,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type ExpectedVersion,
  type GlobalPosition,
  type ReadAllOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '@projectflo/platform/core';
import { assertAppendable, assertAppendableStreams } from './append-rules';
import { OpenSubscriptions } from './open-subscriptions';

/** An all-or-nothing append of several streams asked of a store that cannot do it. */
export class MultiStreamAppendUnsupportedError extends Error {
  override readonly name = 'MultiStreamAppendUnsupportedError';

  constructor(readonly streamNames: readonly string[]) {
    super(`EventStoreDB cannot append to ${streamNames.length} streams atomically (${streamNames.join(', ')}); use the PostgreSQL event store`);
  }
}

/** What the adapter uses of the EventStoreDB client. */
export type EventStoreDbClientPort = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'>;

export interface EventStoreDbEventStoreOptions {
  readonly client: EventStoreDbClientPort;
  /** Dispose the client in `close()`; true only when the store created it. */
  readonly ownsClient?: boolean;
  /** Cap of a failing subscription's backoff before it resubscribes; default 5 s. */
  readonly maxBackoffMs?: number;
}

/** Our metadata plus the payload schema version, which ESDB has no field for. */
interface StoredMetadata extends EventMetadata {
  readonly schemaVersion: number;
}

/**
 * The EventStoreDB adapter. Versions differ by one: our stream version N (N events) is ESDB's
 * revision N-1, and an empty stream is ESDB's `no_stream`. Global positions are ESDB's commit
 * and prepare positions. System events ($-prefixed types and streams) never leave this adapter.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDbClientPort;
  private readonly subscriptions = new OpenSubscriptions<EsdbSubscription>();

  constructor(private readonly options: EventStoreDbEventStoreOptions) {
    this.client = options.client;
  }

  /** e.g. `esdb://127.0.0.1:2113?tls=false`; `close()` disposes the client. */
  static connect(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore({ client: EventStoreDBClient.connectionString(connectionString), ownsClient: true });
  }

  async appendToStream(streamName: string, events: readonly EventToAppend[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    assertAppendable(streamName, events, expectedVersion);
    try {
      const result = await this.client.appendToStream(
        streamName,
        events.map((event) =>
          jsonEvent({
            id: event.eventId,
            type: event.type,
            data: toJsonData(event.data),
            metadata: { ...event.metadata, schemaVersion: event.schemaVersion } satisfies StoredMetadata,
          }),
        ),
        { expectedRevision: toExpectedRevision(expectedVersion) },
      );
      if (result.position === undefined) throw new Error(`EventStoreDB returned no position for an append to ${streamName}`);
      return { nextExpectedVersion: Number(result.nextExpectedRevision) + 1, lastPosition: toGlobalPosition(result.position) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new VersionConflictError(streamName, expectedVersion, fromCurrentRevision(error.actualVersion));
      }
      throw error;
    }
  }

  /**
   * EventStoreDB has no transaction across streams, so an all-or-nothing append of several streams
   * cannot be honoured here: one stream is appended as appendToStream does, and more than one is
   * refused before anything is written. Services whose commands write several streams (crm's
   * CreateContact) need the PostgreSQL store (docs/ARCHITECTURE.md).
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    assertAppendableStreams(appends);
    if (appends.length > 1) throw new MultiStreamAppendUnsupportedError(appends.map((a) => a.streamName));
    const [{ streamName, events, expectedVersion }] = appends;
    return [await this.appendToStream(streamName, events, expectedVersion)];
  }

  async readStream(streamName: string): Promise<ReadStreamResult> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamName, { fromRevision: START })) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { version: 0, events: [] };
      throw error;
    }
    return { version: events.length === 0 ? 0 : events[events.length - 1].streamPosition, events };
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const result: RecordedEvent[] = [];
    let from: GlobalPosition | undefined = options.after;
    // System events are filtered out here, so a page may yield fewer than asked: read on.
    while (result.length < options.limit) {
      const pageSize = options.limit - result.length + 1;
      let read = 0;
      let last: GlobalPosition | undefined;
      for await (const resolved of this.client.readAll({ fromPosition: from ? toPosition(from) : START, maxCount: pageSize })) {
        read++;
        const event = resolved.event;
        if (!event) continue;
        last = toGlobalPosition(event.position);
        // ESDB reads $all from a position inclusively; ours is exclusive.
        if (from && compareGlobalPositions(last, from) <= 0) continue;
        if (isSystemEvent(event)) continue;
        if (result.length < options.limit) result.push(toRecordedEvent(event));
      }
      if (read < pageSize || last === undefined) break;
      from = last;
    }
    return result;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription = new EsdbSubscription(this.client, options, this.options.maxBackoffMs ?? 5_000);
    return this.subscriptions.track(subscription);
  }

  async close(): Promise<void> {
    await this.subscriptions.closeAll();
    if (this.options.ownsClient) await this.client.dispose();
  }
}

/**
 * A catch-up subscription to $all without system events. Each event is handed over as a batch of
 * one, and the next is pulled only after the handler resolved (async iteration applies the
 * backpressure). On an error it reports, waits, and resubscribes from the last handled position.
 */
class EsdbSubscription implements Subscription {
  private closed = false;
  private checkpoint: GlobalPosition | undefined;
  private current: { unsubscribe(): Promise<void> } | undefined;
  private cancelSleep: (() => void) | undefined;
  private readonly running: Promise<void>;

  constructor(
    private readonly client: EventStoreDbClientPort,
    private readonly options: SubscribeOptions,
    private readonly maxBackoffMs: number,
  ) {
    this.checkpoint = options.after;
    this.running = this.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelSleep?.();
    await this.current?.unsubscribe().catch(() => undefined);
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      try {
        const stream = this.client.subscribeToAll({
          fromPosition: this.checkpoint ? toPosition(this.checkpoint) : START,
          filter: excludeSystemEvents(),
        });
        this.current = stream;
        for await (const resolved of stream) {
          if (this.closed) break;
          const event = resolved.event;
          if (!event || isSystemEvent(event)) continue;
          const position = toGlobalPosition(event.position);
          if (this.checkpoint && compareGlobalPositions(position, this.checkpoint) <= 0) continue;
          await this.options.onEvents([toRecordedEvent(event)]);
          this.checkpoint = position;
          failures = 0;
        }
      } catch (error) {
        if (this.closed) break;
        failures++;
        try {
          this.options.onError?.(error);
        } catch {
          // A throwing reporter must not end the subscription.
        }
        await this.sleep(Math.min(100 * 2 ** Math.min(failures, 16), this.maxBackoffMs));
      } finally {
        await this.current?.unsubscribe().catch(() => undefined);
        this.current = undefined;
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.cancelSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.cancelSleep = done;
    });
  }
}

/** Our version N (N events) is ESDB revision N-1; an empty stream is `no_stream`. */
export function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected === 0 ? NO_STREAM : BigInt(expected - 1);
  }
}

export function fromCurrentRevision(actual: CurrentRevision): number {
  return actual === NO_STREAM ? 0 : Number(actual) + 1;
}

function toGlobalPosition(position: Position): GlobalPosition {
  return { commit: position.commit.toString(), prepare: position.prepare.toString() };
}

function toPosition(position: GlobalPosition): Position {
  return { commit: BigInt(position.commit), prepare: BigInt(position.prepare) };
}

function isSystemEvent(event: { type: string; streamId: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

function toJsonData(data: unknown): JSONType {
  if (typeof data === 'object' && data !== null) return data as JSONType;
  throw DomainError.invalid({ field: 'data', description: 'an event payload must be a JSON object or array' });
}

function isStoredMetadata(value: unknown): value is StoredMetadata {
  return typeof value === 'object' && value !== null && typeof (value as { tenantId?: unknown }).tenantId === 'string';
}

function toRecordedEvent(event: {
  id: string;
  type: string;
  streamId: string;
  revision: bigint;
  created: Date;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}): RecordedEvent {
  if (!event.isJson) throw new Error(`event ${event.id} in ${event.streamId} is not JSON`);
  if (!isStoredMetadata(event.metadata)) throw new Error(`event ${event.id} in ${event.streamId} has no ProjectFlo metadata`);
  const { schemaVersion, ...metadata } = event.metadata;
  return {
    eventId: event.id,
    type: event.type,
    data: event.data,
    schemaVersion,
    metadata,
    streamName: event.streamId,
    streamPosition: Number(event.revision) + 1,
    // Stream reads from servers before 21.x carry no position; $all reads always do.
    globalPosition: event.position ? toGlobalPosition(event.position) : { commit: '0', prepare: '0' },
    recordedAt: event.created.toISOString(),
  };
}
