import { randomUUID } from 'node:crypto';
import { crmOrganizationEventsV1, type crmLeadEventsV1 } from '@projectflo/contracts';
import type { RunningService } from '@projectflo/platform/grpc';
import { eventually, relayedEvent, waitForActiveMember } from '@projectflo/platform/testing';
import type { Producer } from 'kafkajs';

export { freePort } from '@projectflo/platform/testing';

/** The consumer groups of a task-engine instance on `schema` (what a test deletes afterwards). */
export const taskEngineConsumerGroups = (schema: string): string[] =>
  ['read-model', 'lead-automation', 'event-automation', 'inbound-external-events', 'dependencies', 'user-directory', 'overdue', 'build-expansion'].map((purpose) => `${schema}.${purpose}`);

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
  return relayedEvent('crm', `lead-${leadId}`, tenantId, type, data, { position, eventId, actorId: 'user-crm', ...(automationDepth !== undefined ? { automationDepth } : {}) });
}

/**
 * A crm organization event as crm's relay publishes it on crm.organization.v1 (keyed by the
 * organization, which is the tenant): what the task-engine's user directory learns users from.
 */
export function crmOrganizationMessage<T extends crmOrganizationEventsV1.CrmOrganizationEventV1>(
  tenantId: string,
  type: T['type'],
  data: T['data'],
) {
  return relayedEvent('crm', `organization-${tenantId}`, tenantId, type, data, { actorId: 'user-crm' });
}

/** crm's UserAdded for `userId` of `tenantId` with `role`, as its relay publishes it on crm.organization.v1. */
export function userAddedMessage(tenantId: string, userId: string, role: crmOrganizationEventsV1.UserRoleV1 = 'Owner') {
  return crmOrganizationMessage(tenantId, 'UserAdded', crmOrganizationEventsV1.userAddedV1(tenantId, userId, role, new Date().toISOString()));
}

/**
 * Makes `userId` an active user of `tenantId` with `role` the way crm does (UserAdded on the crm
 * topic the user-directory consumer reads) and waits until the service's directory knows them:
 * every gRPC caller of the task-engine must be one.
 */
export async function enrolUser(
  producer: Producer,
  running: RunningService<unknown>,
  tenantId: string,
  userId: string,
  role: crmOrganizationEventsV1.UserRoleV1 = 'Owner',
): Promise<void> {
  await producer.send({ topic: crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1, messages: [userAddedMessage(tenantId, userId, role)] });
  await waitForActiveMember(running, tenantId, userId, role);
}

export { waitForMember } from '@projectflo/platform/testing';

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
