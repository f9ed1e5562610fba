import { randomUUID } from 'node:crypto';
import { crmOrganizationEventsV1, type crmLeadEventsV1 } from '@projectflo/contracts';
import { roleNamed, type TenantMember, type UserDirectory, USER_DIRECTORY } from '@projectflo/platform/auth';
import type { RecordedEvent } from '@projectflo/platform/core';
import type { RunningService } from '@projectflo/platform/grpc';
import { encodeEvent } from '@projectflo/platform/messaging';
import { eventually } from '@projectflo/platform/testing';
import type { Producer } from 'kafkajs';

export { freePort } from '@projectflo/platform/testing';

/** The consumer groups of a task-engine instance on `schema` (what a test deletes afterwards). */
export const taskEngineConsumerGroups = (schema: string): string[] =>
  ['read-model', 'lead-automation', 'event-automation', 'inbound-external-events', 'dependencies', 'user-directory'].map((purpose) => `${schema}.${purpose}`);

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
  return crmMessage(`lead-${leadId}`, tenantId, position, type, data, eventId, automationDepth);
}

/** A crm event of `streamName` as crm's relay would publish it (CloudEvents headers, keyed by the stream's id). */
function crmMessage(streamName: string, tenantId: string, position: number, type: string, data: unknown, eventId: string, automationDepth?: number) {
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
    streamName,
    streamPosition: position,
    globalPosition: { commit: '1', prepare: String(position) },
    recordedAt: now,
  };
  return encodeEvent(event, 'crm');
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
  return crmMessage(`organization-${tenantId}`, tenantId, (organizationPosition += 1), type, data, randomUUID());
}

/** Stream positions of the organization events the tests publish (positive, increasing, as crm's). */
let organizationPosition = 0;

/** crm's UserAdded for `userId` of `tenantId` with `role`, as its relay publishes it on crm.organization.v1. */
export function userAddedMessage(tenantId: string, userId: string, role: crmOrganizationEventsV1.UserRoleV1 = 'Owner') {
  return crmOrganizationMessage<Extract<crmOrganizationEventsV1.CrmOrganizationEventV1, { type: 'UserAdded' }>>(tenantId, 'UserAdded', {
    organizationId: tenantId,
    userId,
    name: `User ${userId.slice(0, 8)}`,
    email: `${userId}@studio.example`,
    timezone: 'UTC',
    role,
    addedAt: new Date().toISOString(),
    addedBy: 'user-crm',
  });
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
  await waitForMember(running, tenantId, userId, (member) => member?.active === true && member.role === roleNamed(role));
}

/** Waits until the service's user directory says what `holds` expects of the user (e.g. after a deactivation). */
export function waitForMember(
  running: RunningService<unknown>,
  tenantId: string,
  userId: string,
  holds: (member: TenantMember | undefined) => boolean,
): Promise<TenantMember | undefined> {
  const directory = running.app.get<UserDirectory>(USER_DIRECTORY);
  return eventually(() => directory.member(tenantId, userId), holds, { what: `user ${userId} of ${tenantId} in the user directory`, timeoutMs: 45_000, intervalMs: 100 });
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
