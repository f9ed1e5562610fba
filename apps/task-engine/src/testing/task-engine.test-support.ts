import { randomUUID } from 'node:crypto';
import type { crmLeadEventsV1 } from '@projectflo/contracts';
import type { RecordedEvent } from '@projectflo/platform/core';
import { encodeEvent } from '@projectflo/platform/messaging';
import { eventually } from '@projectflo/platform/testing';

export { freePort } from '@projectflo/platform/testing';

/** The consumer groups of a task-engine instance on `schema` (what a test deletes afterwards). */
export const taskEngineConsumerGroups = (schema: string): string[] =>
  ['read-model', 'lead-automation', 'event-automation', 'inbound-external-events', 'dependencies'].map((purpose) => `${schema}.${purpose}`);

/** Polls until `probe` returns a value (not undefined), failing with `what` after the timeout. */
export function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  return eventually(probe, (value) => value !== undefined, { what, timeoutMs, intervalMs: 250 }) as Promise<T>;
}

/** A crm lead event as crm's relay would publish it on crm.lead.v1 (CloudEvents headers, keyed by lead id). */
export function crmLeadMessage(
  tenantId: string,
  leadId: string,
  position: number,
  type: string,
  data: unknown,
  eventId: string = randomUUID(),
  automationDepth?: number,
) {
  const now = new Date().toISOString();
  const requestId = randomUUID();
  const event: RecordedEvent = {
    eventId,
    type,
    data,
    schemaVersion: 1,
    metadata: {
      tenantId,
      actorId: 'user-crm',
      requestId,
      correlationId: requestId,
      causationId: requestId,
      occurredAt: now,
      ...(automationDepth !== undefined ? { automationDepth } : {}),
    },
    streamName: `lead-${leadId}`,
    streamPosition: position,
    globalPosition: { commit: '1', prepare: String(position) },
    recordedAt: now,
  };
  return encodeEvent(event, 'crm');
}

/** A crm LeadCaptured payload (contract crm.lead.v1), with the fields a test cares about. */
export function leadCaptured(leadId: string, statusId: string, overrides: Partial<crmLeadEventsV1.LeadCapturedPayloadV1> = {}): crmLeadEventsV1.LeadCapturedPayloadV1 {
  return {
    leadId,
    contactId: randomUUID(),
    statusId,
    eventDate: '2027-03-20',
    venue: null,
    source: 'website',
    sourceDetails: '',
    campaignId: null,
    followUpDate: null,
    expectedCloseDate: null,
    temperature: 'Warm',
    notes: null,
    capturedAt: '2026-11-18T09:00:00Z',
    capturedBy: 'user-crm',
    ...overrides,
  };
}

/** A crm LeadAssigned payload (contract crm.lead.v1). */
export function leadAssigned(leadId: string, assigneeId: string, overrides: Partial<crmLeadEventsV1.LeadAssignedPayloadV1> = {}): crmLeadEventsV1.LeadAssignedPayloadV1 {
  return {
    leadId,
    assigneeId,
    previousAssigneeId: null,
    reason: 'round robin',
    assignedAt: '2026-11-18T09:05:00Z',
    assignedBy: 'user-crm',
    ...overrides,
  };
}
