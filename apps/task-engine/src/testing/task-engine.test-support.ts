import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@projectflo/platform/core';
import { encodeEvent } from '@projectflo/platform/messaging';
import { eventually } from '@projectflo/platform/testing';

export { freePort } from '@projectflo/platform/testing';

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
