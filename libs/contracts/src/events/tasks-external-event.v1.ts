import { z } from 'zod';
import { actor, id, instant, jsonObject, requiredText } from './payload-fields';
import { eventTypeKey } from './tasks-fields';

/*
 * Payload schema of the events on `tasks.external-event.v1` (key: the external event id): an
 * external event as the task-engine ingested it (from gRPC or tasks.external-events.in.v1). Rules
 * for change as in crm-lead.v1.ts.
 */

export const TASKS_EXTERNAL_EVENT_TOPIC_V1 = 'tasks.external-event.v1';

/**
 * An external event's payload: a JSON object of at most 64 KiB (serialized), the one bound the gRPC edge, the
 * domain and both topics' schemas apply; larger documents belong in object storage, not in events.
 */
export const MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1 = 64 * 1024;

export const ExternalEventIngestedV1 = z.object({
  tenantId: id,
  /** Derived from (tenant, idempotency key): the trigger event id of the expansion. */
  eventId: id,
  eventTypeKey,
  subjectId: id,
  payload: jsonObject(MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1),
  /** When it happened at the producer (UTC). */
  occurredAt: instant,
  idempotencyKey: requiredText(200),
  /** Automation hops that led to this event (0 for a person or an external system). */
  automationDepth: z.number().int().min(0),
  ingestedBy: actor,
  ingestedAt: instant,
});

/** Event type → its current schema version and payload schema. */
export const tasksExternalEventEventContractsV1 = {
  ExternalEventIngested: { schemaVersion: 1, schema: ExternalEventIngestedV1 },
} as const;
