import type { tasksV1 } from '@projectflo/contracts';
import type { ViewFold } from '@projectflo/platform/core';
import { evolveEventType, type EventTypeEntry, type EventTypeEvent } from '@projectflo/task-engine/domain';

/**
 * One event type as the API shows it: the domain's fold of its events (evolveEventType) at the
 * catalog position of its last change. The read model stores one per row, a define replies with
 * it from the catalog's view, a rebuild replays it.
 */
export interface EventTypeView {
  readonly entry: EventTypeEntry;
  readonly version: number;
}

/** The read model's fold of one event type. */
export const evolveEventTypeView: ViewFold<EventTypeView> = (view, event) => {
  const entry = evolveEventType(view?.entry, { type: event.type, data: event.data } as EventTypeEvent);
  return entry && { entry, version: event.streamPosition };
};

/** A tenant's catalog stream as the read model holds it: each type folded by evolveEventTypeView. */
export const evolveEventTypeCatalogView: ViewFold<Readonly<Record<string, EventTypeView>>> = (catalog, event) => {
  const id = (event.data as { eventTypeId: string }).eventTypeId;
  const view = evolveEventTypeView(catalog?.[id], event);
  return view ? { ...catalog, [id]: view } : catalog;
};

export function eventTypeToProto({ entry, version }: EventTypeView): tasksV1.EventType {
  return {
    eventType: entry.key,
    name: entry.name,
    description: entry.description ?? '',
    retired: entry.retired,
    version: String(version),
    eventTypeId: entry.eventTypeId,
    subjectDateFields: [...entry.subjectDateFields],
  };
}

/** A row of `event_types`. */
export interface EventTypeRow extends Record<string, unknown> {
  event_type_id: string;
  tenant_id: string;
  key: string;
  name: string;
  description: string | null;
  subject_date_fields: string[];
  retired: boolean;
  version: number;
  defined_at: Date | string;
}

export function eventTypeViewOfRow(row: EventTypeRow): EventTypeView {
  const { event_type_id: eventTypeId, key, name, description, subject_date_fields: subjectDateFields, retired, version } = row;
  return { entry: { eventTypeId, key, name, description, subjectDateFields, retired, definedAt: new Date(row.defined_at).toISOString() }, version };
}
