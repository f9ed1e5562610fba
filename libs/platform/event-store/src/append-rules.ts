import { DomainError, MAX_EVENT_BYTES, eventSizeBytes, type EventToAppend, type ExpectedVersion, type StreamAppend } from '@projectflo/platform/core';

/**
 * Rules every adapter applies the same way, so the contract suite can hold them to one behaviour.
 *
 * Duplicate event ids: an event id is recorded at most once. Re-appending exactly the batch that
 * was recorded before (same ids, same stream, same order, at the position the expected version
 * names) is an idempotent replay: the store returns the original result and writes nothing — a
 * client that lost the reply of a successful append can safely retry it. Any other reuse of a
 * recorded event id is a VersionConflictError, so the command handler re-reads the stream and its
 * request-id dedupe takes over.
 *
 * Size: an event over MAX_EVENT_BYTES is refused before anything is written, so every recorded
 * event can be published as one Kafka message.
 */
export function assertAppendable(streamName: string, events: readonly EventToAppend[], expected: ExpectedVersion): void {
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw DomainError.invalid({ field: 'expectedVersion', description: 'must be a non-negative integer' });
  }
  if (streamName.length === 0) {
    throw DomainError.invalid({ field: 'streamName', description: 'must not be empty' });
  }
  if (events.length === 0) {
    throw DomainError.invalid({ field: 'events', description: 'must contain at least one event' });
  }
  const ids = new Set<string>();
  events.forEach((event, index) => {
    if (ids.has(event.eventId)) {
      throw DomainError.invalid({ field: `events[${index}].eventId`, description: `duplicate event id ${event.eventId} in one append` });
    }
    ids.add(event.eventId);
    if (!event.metadata?.tenantId) {
      throw DomainError.invalid({ field: `events[${index}].metadata.tenantId`, description: 'every event carries its tenant' });
    }
    const size = eventSizeBytes(event);
    if (size > MAX_EVENT_BYTES) {
      throw DomainError.invalid({
        field: `events[${index}]`,
        description: `${event.type} is ${size} bytes; an event may be at most ${MAX_EVENT_BYTES} bytes (type, data and metadata as JSON)`,
      });
    }
  });
}

/** The rules of appendToStreams: at least one stream, each named once, event ids unique across all. */
export function assertAppendableStreams(appends: readonly StreamAppend[]): void {
  if (appends.length === 0) {
    throw DomainError.invalid({ field: 'appends', description: 'must name at least one stream' });
  }
  const streams = new Set<string>();
  const ids = new Set<string>();
  appends.forEach((append, index) => {
    if (streams.has(append.streamName)) {
      throw DomainError.invalid({ field: `appends[${index}].streamName`, description: `stream ${append.streamName} appears more than once` });
    }
    streams.add(append.streamName);
    assertAppendable(append.streamName, append.events, append.expectedVersion);
    for (const event of append.events) {
      if (ids.has(event.eventId)) {
        throw DomainError.invalid({ field: `appends[${index}].events`, description: `event id ${event.eventId} appears in more than one stream` });
      }
      ids.add(event.eventId);
    }
  });
}

/** Whether a stream currently at `actual` satisfies what the append expected. */
export function satisfiesExpectedVersion(expected: ExpectedVersion, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 0;
    case 'stream_exists':
      return actual > 0;
    default:
      return actual === expected;
  }
}

export interface RecordedPlacement {
  readonly eventId: string;
  readonly streamName: string;
  readonly streamPosition: number;
}

/**
 * True when `recorded` (the rows already holding the batch's ids) is exactly this batch appended
 * earlier with the same expected version: an idempotent replay rather than a conflict.
 */
export function isIdempotentReplay(
  streamName: string,
  events: readonly EventToAppend[],
  expected: ExpectedVersion,
  recorded: readonly RecordedPlacement[],
): boolean {
  if (recorded.length !== events.length) return false;
  const byId = new Map(recorded.map((r) => [r.eventId, r]));
  const first = byId.get(events[0].eventId);
  if (first === undefined) return false;
  const contiguous = events.every((event, index) => {
    const placement = byId.get(event.eventId);
    return placement?.streamName === streamName && placement.streamPosition === first.streamPosition + index;
  });
  return contiguous && satisfiesExpectedVersion(expected, first.streamPosition - 1);
}
