import type { DomainEvent } from '@projectflo/platform/core';

export type EventTypeDefined = DomainEvent<
  'EventTypeDefined',
  {
    readonly tenantId: string;
    readonly eventTypeId: string;
    /** Stable, unique per tenant, e.g. "wedding.booked"; templates and producers refer to it. */
    readonly key: string;
    readonly name: string;
    readonly description: string | null;
    /** Payload fields of this event type that are dates on the subject (e.g. "event_date"). */
    readonly subjectDateFields: readonly string[];
    readonly definedBy: string;
    readonly definedAt: string;
  }
>;

export type EventTypeRetired = DomainEvent<
  'EventTypeRetired',
  {
    readonly tenantId: string;
    readonly eventTypeId: string;
    readonly key: string;
    readonly reason: string | null;
    readonly retiredBy: string;
    readonly retiredAt: string;
  }
>;

export type EventTypeEvent = EventTypeDefined | EventTypeRetired;
