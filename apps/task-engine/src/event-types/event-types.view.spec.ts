import type { StreamEvent } from '@projectflo/platform/core';
import type { EventTypeEvent } from '@projectflo/task-engine/domain';
import { evolveEventTypeCatalogView, evolveEventTypeView, eventTypeToProto } from './event-types.view';

const at = '2026-11-21T09:00:00.000Z';
const defined = (eventTypeId: string, key: string): EventTypeEvent => ({
  type: 'EventTypeDefined',
  data: { tenantId: 'tenant-a', eventTypeId, key, name: key, description: null, subjectDateFields: ['event_date'], definedBy: 'user-ops', definedAt: at },
});
const retired = (eventTypeId: string, key: string): EventTypeEvent => ({
  type: 'EventTypeRetired',
  data: { tenantId: 'tenant-a', eventTypeId, key, reason: null, retiredBy: 'user-ops', retiredAt: at },
});

function stream(events: readonly EventTypeEvent[]): StreamEvent[] {
  return events.map((event, i) => ({
    eventId: `e-${i}`,
    type: event.type,
    data: event.data,
    metadata: { tenantId: 'tenant-a', actorId: 'user-ops', requestId: `r-${i}`, correlationId: 'c', causationId: 'c', occurredAt: at },
    streamPosition: i + 1,
  }));
}

describe('an event type folded from its catalog stream (read model rows, the define reply, rebuild)', () => {
  const events = stream([defined('type-1', 'wedding.booked'), defined('type-2', 'wedding.cancelled'), retired('type-1', 'wedding.booked')]);

  it('keeps each type at the position of its own last change', () => {
    const catalog = events.reduce(evolveEventTypeCatalogView, undefined)!;
    expect(eventTypeToProto(catalog['type-1']!)).toMatchObject({ eventType: 'wedding.booked', retired: true, version: '3' });
    expect(eventTypeToProto(catalog['type-2']!)).toMatchObject({ eventType: 'wedding.cancelled', retired: false, version: '2' });
  });

  it('gives a row the same view as the catalog gives its type', () => {
    const row = events.filter((e) => (e.data as { eventTypeId: string }).eventTypeId === 'type-1').reduce(evolveEventTypeView, undefined);
    expect(row).toEqual(events.reduce(evolveEventTypeCatalogView, undefined)!['type-1']);
  });

  it('has no row for a retirement of a type it never saw defined', () => {
    expect(evolveEventTypeView(undefined, events[2]!)).toBeUndefined();
  });
});
