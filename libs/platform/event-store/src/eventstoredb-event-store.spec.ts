import { NO_STREAM, StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
import { VersionConflictError, type EventToAppend } from '@projectflo/platform/core';
import { EventStoreDbEventStore, fromCurrentRevision, toExpectedRevision, type EventStoreDbClientPort } from './eventstoredb-event-store';

// The adapter's translations, checked without a server; the contract suite covers the rest
// wherever EVENTSTORE_URL names one.
describe('EventStoreDbEventStore version mapping', () => {
  it.each([
    [0, NO_STREAM],
    [1, 0n],
    [7, 6n],
    ['no_stream', 'no_stream'],
    ['stream_exists', 'stream_exists'],
    ['any', 'any'],
  ] as const)('maps our expected version %p to ESDB revision %p', (ours, theirs) => {
    expect(toExpectedRevision(ours)).toBe(theirs);
  });

  it('maps ESDB current revisions back to our versions', () => {
    expect(fromCurrentRevision(NO_STREAM)).toBe(0);
    expect(fromCurrentRevision(0n)).toBe(1);
    expect(fromCurrentRevision(41n)).toBe(42);
  });
});

describe('EventStoreDbEventStore error mapping', () => {
  const event: EventToAppend = {
    eventId: '0b4f3c52-7d5e-4c1b-9a53-2f0f5b0c9e11',
    type: 'LeadCaptured',
    data: { leadId: 'l-1' },
    schemaVersion: 1,
    metadata: { tenantId: 't', actorId: 'a', requestId: 'r', correlationId: 'r', causationId: 'r', occurredAt: '2025-01-01T00:00:00.000Z' },
  };

  function storeWith(client: Partial<EventStoreDbClientPort>): EventStoreDbEventStore {
    return new EventStoreDbEventStore({ client: client as EventStoreDbClientPort });
  }

  it('turns WrongExpectedVersionError into a VersionConflictError with our versions', async () => {
    const store = storeWith({
      appendToStream: async () => {
        throw new WrongExpectedVersionError(undefined, { streamName: 'lead-1', expected: 2n, current: 4n });
      },
    });
    await expect(store.appendToStream('lead-1', [event], 3)).rejects.toEqual(new VersionConflictError('lead-1', 3, 5));
  });

  it('passes the expected revision and our metadata (with the schema version) to ESDB', async () => {
    const appendToStream = jest.fn(async () => ({ success: true, nextExpectedRevision: 0n, position: { commit: 10n, prepare: 9n } }));
    const store = storeWith({ appendToStream: appendToStream as unknown as EventStoreDbClientPort['appendToStream'] });

    const result = await store.appendToStream('lead-1', [event], 'no_stream');

    expect(result).toEqual({ nextExpectedVersion: 1, lastPosition: { commit: '10', prepare: '9' } });
    expect(appendToStream).toHaveBeenCalledWith(
      'lead-1',
      [expect.objectContaining({ id: event.eventId, type: 'LeadCaptured', data: event.data, metadata: { ...event.metadata, schemaVersion: 1 } })],
      { expectedRevision: NO_STREAM },
    );
  });

  it('reads a stream ESDB does not know as version 0', async () => {
    const store = storeWith({
      readStream: (() => ({
        async *[Symbol.asyncIterator]() {
          throw new StreamNotFoundError(undefined, 'lead-404');
        },
      })) as unknown as EventStoreDbClientPort['readStream'],
    });
    await expect(store.readStream('lead-404')).resolves.toEqual({ version: 0, events: [] });
  });
});
