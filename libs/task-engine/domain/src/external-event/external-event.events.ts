import type { DomainEvent } from '@projectflo/platform/core';
import type { JsonObject } from '../shared/json';

export type ExternalEventIngested = DomainEvent<
  'ExternalEventIngested',
  {
    readonly tenantId: string;
    /** deriveId('external-event', tenantId, idempotencyKey): the trigger event id of the expansion. */
    readonly eventId: string;
    readonly eventTypeKey: string;
    readonly subjectId: string;
    readonly payload: JsonObject;
    /** When it happened at the producer (UTC ISO-8601); the anchor for "trigger time" due dates. */
    readonly occurredAt: string;
    readonly idempotencyKey: string;
    /** Automation hops that led to this event (0 for a person or an external system). */
    readonly automationDepth: number;
    readonly ingestedBy: string;
    readonly ingestedAt: string;
  }
>;

export type ExternalEventEvent = ExternalEventIngested;
