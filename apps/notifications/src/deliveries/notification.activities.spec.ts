import { deriveId } from '@projectflo/platform/core';
import { deliveryIdOf, digestDeliveryId, windowOf } from './notification.activities';

describe('notification ids and windows', () => {
  it('aligns windows to the epoch, so triggers in the same second share one', () => {
    const a = windowOf(new Date('2026-06-01T10:00:12.001Z'), 'PT30S');
    const b = windowOf(new Date('2026-06-01T10:00:12.999Z'), 'PT30S');
    expect(a).toEqual({ start: new Date('2026-06-01T10:00:00.000Z'), end: new Date('2026-06-01T10:00:30.000Z') });
    expect(b).toEqual(a);
    expect(windowOf(new Date('2026-06-01T10:00:30.000Z'), 'PT30S').start).toEqual(new Date('2026-06-01T10:00:30.000Z'));
    expect(windowOf(new Date('2026-06-01T23:59:59.999Z'), 'P1D')).toEqual({ start: new Date('2026-06-01T00:00:00.000Z'), end: new Date('2026-06-02T00:00:00.000Z') });
  });

  it('derives one delivery per rule, task, occurrence and recipient, and one digest per rule, recipient and window', () => {
    const input = { rule: { ruleId: 'rule-1' }, taskId: 'task-1', occurrence: 'created' } as Parameters<typeof deliveryIdOf>[0];
    expect(deliveryIdOf(input, 'user-1')).toBe(deriveId('delivery', 'rule-1', 'task-1', 'created', 'user-1'));
    expect(deliveryIdOf(input, 'user-1')).not.toBe(deliveryIdOf({ ...input, occurrence: 'P1D@2026-06-01T09:00:00.000Z' }, 'user-1'));
    const start = new Date('2026-06-01T10:00:00.000Z');
    expect(digestDeliveryId('rule-1', 'user-1', start)).toBe(digestDeliveryId('rule-1', 'user-1', new Date(start)));
    expect(digestDeliveryId('rule-1', 'user-1', start)).not.toBe(digestDeliveryId('rule-1', 'user-2', start));
  });
});
