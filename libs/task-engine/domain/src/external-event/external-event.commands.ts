import type { Command } from '@projectflo/platform/core';
import type { JsonObject } from '../shared/json';

/**
 * `eventId` must be `externalEventId(tenantId, idempotencyKey)` and the stream
 * `externalEventStream(eventId)`; the automation depth is read from `metadata.automationDepth`.
 */
export type IngestExternalEvent = Command<
  'IngestExternalEvent',
  {
    readonly eventId: string;
    /** The event type's key, named as the API names it (IngestExternalEventRequest.event_type). */
    readonly eventType: string;
    readonly subjectId: string;
    readonly payload: JsonObject;
    readonly occurredAt: string;
    readonly idempotencyKey: string;
  }
>;

export type ExternalEventCommand = IngestExternalEvent;
