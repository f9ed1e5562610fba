import type { ExpectedVersion } from './errors';
import type { EventToAppend, GlobalPosition, RecordedEvent } from './events';

export interface AppendResult {
  /** The stream's version after the append (number of events in it). */
  readonly nextExpectedVersion: number;
  /** Position of the last appended event in the global log. */
  readonly lastPosition: GlobalPosition;
}

/** One stream's part of an appendToStreams: its events and what it expects of the stream. */
export interface StreamAppend {
  readonly streamName: string;
  readonly events: readonly EventToAppend[];
  readonly expectedVersion: ExpectedVersion;
}

export interface ReadStreamResult {
  /** Current version of the stream: the number of events in it; 0 when it does not exist. */
  readonly version: number;
  readonly events: RecordedEvent[];
}

export interface ReadAllOptions {
  /** Exclusive: return events strictly after this position; from the start when omitted. */
  readonly after?: GlobalPosition;
  readonly limit: number;
}

/** What lies beyond a position in the global log: the truth behind a relay's lag figure. */
export interface LogBacklog {
  /** Events recorded after the position, whether or not readAll can deliver them yet. */
  readonly events: number;
  /**
   * Of those, committed events that readAll still holds back because an older transaction is
   * running (PostgreSQL reads only below the oldest running transaction); 0 elsewhere.
   */
  readonly heldBack: number;
  /** When the oldest of the events was recorded (ISO-8601); absent when there are none. */
  readonly oldestRecordedAt?: string;
  /** The oldest running transaction, reported while it holds events back. */
  readonly holder?: { readonly pid: number; readonly applicationName: string; readonly state: string; readonly ageMs: number };
}

export interface Subscription {
  /** Stop delivering; resolves after the event being handled (if any) has finished. */
  close(): Promise<void>;
}

export interface SubscribeOptions {
  readonly after?: GlobalPosition;
  /** Called for each batch, in commit order; the next batch is read only after it resolves. */
  readonly onEvents: (events: RecordedEvent[]) => Promise<void>;
  readonly onError?: (error: unknown) => void;
  readonly batchSize?: number;
}

/**
 * The event store port. Two adapters implement it (PostgreSQL, the embedded default, and
 * EventStoreDB) and one contract suite proves them interchangeable.
 */
export interface EventStore {
  /**
   * Appends atomically; throws VersionConflictError carrying stream, expected and actual version,
   * and DomainError INVALID_ARGUMENT, writing nothing, for an event over MAX_EVENT_BYTES.
   */
  appendToStream(streamName: string, events: readonly EventToAppend[], expectedVersion: ExpectedVersion): Promise<AppendResult>;
  /**
   * Appends to several distinct streams all or nothing, each checked against its own expected
   * version: when any stream conflicts, nothing of any stream is written and the
   * VersionConflictError names the first stream (in the given order) that did not match.
   * Re-appending exactly the same set is an idempotent replay. Results are in the given order.
   * An adapter without multi-stream transactions (EventStoreDB) refuses more than one stream.
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  readStream(streamName: string): Promise<ReadStreamResult>;
  /** Reads the global log in commit order; never skips an event whose transaction commits late. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Counts what lies beyond a position (for lag figures); adapters that cannot count cheaply omit it. */
  backlog?(after: GlobalPosition | undefined): Promise<LogBacklog>;
  /** Follows the global log from a position, in commit order, until closed. */
  subscribeToAll(options: SubscribeOptions): Subscription;
  close(): Promise<void>;
}
