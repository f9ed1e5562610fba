import { z } from 'zod';
import { actor, id, instant, list, requiredText, text } from './payload-fields';
import { eventTypeKey, fieldName } from './tasks-fields';

/*
 * Payload schemas of the events on `tasks.event-type.v1` (key: the tenant id): a tenant's catalog
 * of external event types. Rules for change as in crm-lead.v1.ts.
 */

export const TASKS_EVENT_TYPE_TOPIC_V1 = 'tasks.event-type.v1';

export const EventTypeDefinedV1 = z.object({
  tenantId: id,
  eventTypeId: id,
  key: eventTypeKey,
  name: requiredText(200),
  description: text(5_000).nullable(),
  /** Payload fields of this event type that are dates on the subject. */
  subjectDateFields: list(fieldName, 20),
  definedBy: actor,
  definedAt: instant,
});

export const EventTypeRetiredV1 = z.object({
  tenantId: id,
  eventTypeId: id,
  key: eventTypeKey,
  reason: text(1_000).nullable(),
  retiredBy: actor,
  retiredAt: instant,
});

/** Event type → its current schema version and payload schema. */
export const tasksEventTypeEventContractsV1 = {
  EventTypeDefined: { schemaVersion: 1, schema: EventTypeDefinedV1 },
  EventTypeRetired: { schemaVersion: 1, schema: EventTypeRetiredV1 },
} as const;
