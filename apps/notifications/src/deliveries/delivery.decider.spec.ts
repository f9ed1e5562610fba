import { type CommandMetadata, deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import type { DeliveryCommand } from './delivery.commands';
import { deliveryDecider, MAX_REASON_LENGTH } from './delivery.decider';
import type { DeliveryEvent, DeliveryRequested } from './delivery.events';

const TENANT = 'tenant-a';
const NOW = '2026-06-01T09:00:00.000Z';
const ID = 'delivery-1';
const meta = (): CommandMetadata => ({ tenantId: TENANT, actorId: 'system:notifications', actorKind: 'service', requestId: 'r', now: new Date(NOW) });
const command = <C extends DeliveryCommand>(type: C['type'], data: C['data']): DeliveryCommand => ({ type, data, metadata: meta() }) as DeliveryCommand;

const request = {
  deliveryId: ID,
  ruleId: 'rule-1',
  trigger: 'task_created',
  subjectId: 'task-1',
  occurrence: 'created',
  recipientId: 'user-1',
  channel: 'sms',
  critical: false,
} as const;
const requested: DeliveryRequested = { type: 'DeliveryRequested', data: { ...request, tenantId: TENANT, requestedAt: NOW } };
const base = { tenantId: TENANT, deliveryId: ID };
const delivered: DeliveryEvent = { type: 'Delivered', data: { ...base, channel: 'sms', providerMessageId: 'm-1', deliveredAt: NOW } };

const { given } = deciderSpecification(deliveryDecider);

describe('delivery', () => {
  it('is requested once, however often it is asked for', () => {
    given([]).when(command('RequestDelivery', request)).then([requested]);
    given([requested]).when(command('RequestDelivery', request)).then([]);
  });

  it('knows no outcome before it was requested', () => {
    given([]).when(command('RecordDelivered', { providerMessageId: 'm-1' })).thenThrows(DomainErrorCode.NotFound);
  });

  it('records each failed attempt once, then one delivery, and nothing after it', () => {
    const failed: DeliveryEvent = { type: 'DeliveryAttemptFailed', data: { ...base, channel: 'sms', attempt: 1, reason: 'provider answered 503', failedAt: NOW } };
    given([requested]).when(command('RecordAttemptFailure', { attempt: 1, reason: ' provider answered 503 ' })).then([failed]);
    given([requested, failed]).when(command('RecordAttemptFailure', { attempt: 1, reason: 'again' })).then([]);
    given([requested, failed]).when(command('RecordDelivered', { providerMessageId: 'm-1' })).then([delivered]);
    given([requested, failed, delivered]).when(command('RecordDelivered', { providerMessageId: 'm-2' })).then([]);
    given([requested, delivered]).when(command('RecordDeliveryFailure', { reason: 'late' })).then([]);
  });

  it('falls back from SMS to email once, and records the email outcome on the new channel', () => {
    const fellBack: DeliveryEvent = { type: 'DeliveryFellBack', data: { ...base, fromChannel: 'sms', toChannel: 'email', reason: 'no phone number', fellBackAt: NOW } };
    given([requested]).when(command('FallBack', { toChannel: 'email', reason: 'no phone number' })).then([fellBack]);
    given([requested, fellBack]).when(command('FallBack', { toChannel: 'email', reason: 'again' })).then([]);
    given([requested, fellBack]).when(command('RecordDelivered', { providerMessageId: 'e-1' })).then([{ type: 'Delivered', data: { ...base, channel: 'email', providerMessageId: 'e-1', deliveredAt: NOW } }]);
  });

  it('keeps a failure reason short and says when there is none', () => {
    given([requested])
      .when(command('RecordDeliveryFailure', { reason: 'x'.repeat(MAX_REASON_LENGTH + 10) }))
      .then([{ type: 'DeliveryFailed', data: { ...base, channel: 'sms', reason: 'x'.repeat(MAX_REASON_LENGTH), failedAt: NOW } }]);
    given([requested]).when(command('RecordDeliveryFailure', { reason: ' ' })).then([{ type: 'DeliveryFailed', data: { ...base, channel: 'sms', reason: 'unknown', failedAt: NOW } }]);
  });

  it('defers for quiet hours once and is suppressed for good', () => {
    const deferred: DeliveryEvent = { type: 'DeliveryDeferred', data: { ...base, until: '2026-06-01T07:00:00.000Z', reason: 'quiet_hours', deferredAt: NOW } };
    given([requested]).when(command('DeferDelivery', { until: '2026-06-01T07:00:00.000Z' })).then([deferred]);
    given([requested, deferred]).when(command('DeferDelivery', { until: '2026-06-01T07:00:00.000Z' })).then([]);
    const suppressed: DeliveryEvent = { type: 'DeliverySuppressed', data: { ...base, reason: 'opted_out', suppressedAt: NOW } };
    given([requested]).when(command('SuppressDelivery', { reason: 'opted_out' })).then([suppressed]);
    given([requested, suppressed]).when(command('RecordDelivered', { providerMessageId: 'm-1' })).then([]);
  });
});
