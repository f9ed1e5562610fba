import {
  VersionConflictError,
  systemClock,
  type AppendResult,
  type Clock,
  type EventStore,
  type EventToAppend,
  type ExpectedVersion,
  type GlobalPosition,
  type LogBacklog,
  type ReadAllOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type SubscribeOptions,
  type StreamAppend,
  type Subscription,
  compareGlobalPositions,
} from '@projectflo/platform/core';
import { assertAppendableStreams, isIdempotentReplay, satisfiesExpectedVersion } from './append-rules';
import { OpenSubscriptions } from './open-subscriptions';
import { PollingSubscription } from './polling-subscription';

export interface InMemoryEventStoreOptions {
  /** Stamps `recordedAt`; pass a FixedClock for deterministic tests. */
  readonly clock?: Clock;
}

/**
 * The event store for unit tests of command handlers: the same rules as the real adapters
 * (expected versions, conflicts carrying both versions, idempotent replay, commit order) with no
 * I/O. Events are copied through JSON, as a jsonb column would, so a test cannot pass by sharing
 * object references that a real store would not keep (a Date, a class instance).
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byEventId = new Map<string, RecordedEvent>();
  private readonly subscriptions = new OpenSubscriptions<PollingSubscription>();
  private readonly clock: Clock;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  async appendToStream(streamName: string, events: readonly EventToAppend[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ streamName, events, expectedVersion }]);
    return result;
  }

  /** Checks every stream first, then records them all: nothing is written unless all can be. */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    assertAppendableStreams(appends);
    const replays = appends.map((append) => this.replayOf(append));
    if (replays.every((r) => r !== undefined)) return replays;
    const conflicting = appends.find((append, index) => replays[index] !== undefined || !this.canAppend(append));
    if (conflicting) {
      throw new VersionConflictError(conflicting.streamName, conflicting.expectedVersion, this.versionOf(conflicting.streamName));
    }
    const recordedAt = this.clock.now().toISOString();
    const results = appends.map((append) => this.record(append, recordedAt));
    for (const subscription of this.subscriptions) subscription.wake();
    return results;
  }

  private versionOf(streamName: string): number {
    return this.streams.get(streamName)?.length ?? 0;
  }

  private canAppend({ streamName, events, expectedVersion }: StreamAppend): boolean {
    return !events.some((e) => this.byEventId.has(e.eventId)) && satisfiesExpectedVersion(expectedVersion, this.versionOf(streamName));
  }

  /** The original result when exactly this batch was recorded before at this expected version. */
  private replayOf({ streamName, events, expectedVersion }: StreamAppend): AppendResult | undefined {
    const recorded = events.flatMap((e) => this.byEventId.get(e.eventId) ?? []);
    if (!isIdempotentReplay(streamName, events, expectedVersion, recorded)) return undefined;
    const last = recorded[recorded.length - 1];
    return { nextExpectedVersion: last.streamPosition, lastPosition: last.globalPosition };
  }

  private record({ streamName, events }: StreamAppend, recordedAt: string): AppendResult {
    const stream = this.streams.get(streamName) ?? [];
    const recorded = events.map((event, index): RecordedEvent => {
      const sequence = String(this.log.length + index + 1);
      return {
        ...(JSON.parse(JSON.stringify(event)) as EventToAppend),
        data: JSON.parse(JSON.stringify(event.data ?? null)) as unknown,
        streamName,
        streamPosition: stream.length + index + 1,
        // One writer at a time: commit order is append order, so both parts are the sequence.
        globalPosition: { commit: sequence, prepare: sequence },
        recordedAt,
      };
    });
    this.log.push(...recorded);
    this.streams.set(streamName, [...stream, ...recorded]);
    for (const event of recorded) this.byEventId.set(event.eventId, event);
    const last = recorded[recorded.length - 1];
    return { nextExpectedVersion: last.streamPosition, lastPosition: last.globalPosition };
  }

  async readStream(streamName: string): Promise<ReadStreamResult> {
    const events = this.streams.get(streamName) ?? [];
    return { version: events.length, events: [...events] };
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const after = options.after;
    const start = after === undefined ? 0 : this.log.findIndex((e) => compareGlobalPositions(e.globalPosition, after) > 0);
    return start < 0 ? [] : this.log.slice(start, start + options.limit);
  }

  /** Nothing is ever held back: every append is visible at once. */
  async backlog(after: GlobalPosition | undefined): Promise<LogBacklog> {
    const beyond = await this.readAll({ after, limit: Number.MAX_SAFE_INTEGER });
    return { events: beyond.length, heldBack: 0, ...(beyond[0] ? { oldestRecordedAt: beyond[0].recordedAt } : {}) };
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription = new PollingSubscription({
      ...options,
      read: (after: GlobalPosition | undefined, limit: number) => this.readAll({ after, limit }),
      // Appends wake subscribers directly; the interval is only a safety net.
      pollIntervalMs: 1_000,
      maxBackoffMs: 1_000,
    });
    return this.subscriptions.track(subscription);
  }

  /** Every recorded event in commit order: handy for assertions in unit tests. */
  get allEvents(): readonly RecordedEvent[] {
    return this.log;
  }

  async close(): Promise<void> {
    await this.subscriptions.closeAll();
  }
}
