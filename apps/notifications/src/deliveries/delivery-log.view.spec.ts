import type { StreamEvent } from '@projectflo/platform/core';
import { foldView } from '@projectflo/platform/core';
import { deliveryStepOf, evolveDeliveryRow } from './delivery-log.view';
import type { DeliveryEvent } from './delivery.events';

const base = { tenantId: 'tenant-a', deliveryId: 'd-1' };
const at = '2026-06-01T09:00:00.000Z';
let position = 0;
const recorded = (event: DeliveryEvent): StreamEvent => ({
  eventId: `e-${++position}`,
  type: event.type,
  data: event.data,
  streamPosition: position,
  metadata: { tenantId: 'tenant-a', actorId: 'system:notifications', requestId: 'r', correlationId: 'r', causationId: 'r', occurredAt: at },
});
const requested: DeliveryEvent = {
  type: 'DeliveryRequested',
  data: { ...base, ruleId: 'rule-1', trigger: 'task_created', subjectId: 'task-1', occurrence: 'created', recipientId: 'user-1', channel: 'sms', critical: false, requestedAt: at },
};

describe('delivery log row', () => {
  beforeEach(() => {
    position = 0;
  });

  it('follows a delivery through a failed attempt and a fallback to its delivery on the new channel', () => {
    const events = [
      requested,
      { type: 'DeliveryAttemptFailed', data: { ...base, channel: 'sms', attempt: 1, reason: 'HTTP 503', failedAt: at } },
      { type: 'DeliveryFellBack', data: { ...base, fromChannel: 'sms', toChannel: 'email', reason: 'no phone', fellBackAt: at } },
      { type: 'Delivered', data: { ...base, channel: 'email', providerMessageId: 'm-1', deliveredAt: '2026-06-01T09:01:00.000Z' } },
    ].map((e) => recorded(e as DeliveryEvent));
    expect(foldView(evolveDeliveryRow, events)).toMatchObject({
      deliveryId: 'd-1',
      channel: 'email',
      status: 'delivered',
      failedAttempts: 1,
      reason: 'no phone',
      providerMessageId: 'm-1',
      updatedAt: new Date('2026-06-01T09:01:00.000Z'),
      version: 4,
    });
    expect(events.map((e) => deliveryStepOf(e).detail)).toEqual(['', 'attempt 1: HTTP 503', 'no phone', '']);
  });

  it('starts only from the request, and a repeated request keeps the row', () => {
    expect(evolveDeliveryRow(undefined, recorded({ type: 'DeliverySuppressed', data: { ...base, reason: 'muted', suppressedAt: at } }))).toBeUndefined();
    const row = evolveDeliveryRow(undefined, recorded(requested));
    expect(evolveDeliveryRow(row, recorded(requested))).toBe(row);
  });

  it('records suppression and failure with their reasons', () => {
    const row = evolveDeliveryRow(undefined, recorded(requested));
    expect(evolveDeliveryRow(row, recorded({ type: 'DeliverySuppressed', data: { ...base, reason: 'opted_out', suppressedAt: at } }))).toMatchObject({ status: 'suppressed', reason: 'opted_out' });
    expect(evolveDeliveryRow(row, recorded({ type: 'DeliveryFailed', data: { ...base, channel: 'sms', reason: 'bad number', failedAt: at } }))).toMatchObject({ status: 'failed', reason: 'bad number' });
  });
});
