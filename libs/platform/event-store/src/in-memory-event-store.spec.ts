import { FixedClock, VersionConflictError, type EventToAppend } from '@projectflo/platform/core';
import { eventStoreContract } from './event-store.contract';
import { InMemoryEventStore } from './in-memory-event-store';

eventStoreContract('InMemoryEventStore', {
  create: async () => new InMemoryEventStore(),
  uniqueEventIds: true,
  multiStreamAppends: true,
});

describe('InMemoryEventStore', () => {
  const event = (eventId: string, data: unknown): EventToAppend => ({
    eventId,
    type: 'Noted',
    data,
    schemaVersion: 1,
    metadata: {
      tenantId: 't1',
      actorId: 'a1',
      requestId: 'r1',
      correlationId: 'r1',
      causationId: 'r1',
      occurredAt: '2025-01-01T00:00:00.000Z',
    },
  });

  it('stamps recordedAt from the clock it was given', async () => {
    const store = new InMemoryEventStore({ clock: new FixedClock(new Date('2025-06-01T12:00:00.000Z')) });
    await store.appendToStream('s-1', [event('8d3d2c1e-0000-4000-8000-000000000001', {})], 'no_stream');
    expect((await store.readStream('s-1')).events[0].recordedAt).toBe('2025-06-01T12:00:00.000Z');
  });

  it('stores a JSON copy, as a jsonb column would, not the caller’s object', async () => {
    const store = new InMemoryEventStore();
    const data = { when: new Date('2025-01-02T03:04:05.000Z'), list: [1] };
    await store.appendToStream('s-2', [event('8d3d2c1e-0000-4000-8000-000000000002', data)], 'no_stream');
    data.list.push(2);
    expect((await store.readStream('s-2')).events[0].data).toEqual({ when: '2025-01-02T03:04:05.000Z', list: [1] });
  });

  it('rejects a replay of a batch under a different expected version', async () => {
    const store = new InMemoryEventStore();
    const batch = [event('8d3d2c1e-0000-4000-8000-000000000003', {})];
    await store.appendToStream('s-3', batch, 'no_stream');
    await store.appendToStream('s-3', [event('8d3d2c1e-0000-4000-8000-000000000004', {})], 1);
    await expect(store.appendToStream('s-3', batch, 2)).rejects.toBeInstanceOf(VersionConflictError);
    expect((await store.readStream('s-3')).version).toBe(2);
  });
});
