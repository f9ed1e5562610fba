import { notificationsDeliveryEventsV1, notificationsNotificationRuleEventsV1 } from '@projectflo/contracts';
import { type CommandMetadata, foldState } from '@projectflo/platform/core';
import type { DeliveryCommand } from './deliveries/delivery.commands';
import { deliveryDecider } from './deliveries/delivery.decider';
import type { DeliveryEvent } from './deliveries/delivery.events';
import { notificationRulesDecider } from './rules/notification-rules.decider';
import type { NotificationRuleEvent } from './rules/notification-rules.events';

const meta: CommandMetadata = { tenantId: 'tenant-a', actorId: 'user-1', actorKind: 'user', requestId: 'r', now: new Date('2026-06-01T09:00:00Z') };
const rules = notificationsNotificationRuleEventsV1.notificationsNotificationRuleEventContractsV1;
const deliveries = notificationsDeliveryEventsV1.notificationsDeliveryEventContractsV1;

/** Every event the deciders emit, checked against the published contract of its type. */
function expectPublishable(events: readonly (NotificationRuleEvent | DeliveryEvent)[], contracts: Record<string, { schemaVersion: number; schema: { parse(v: unknown): unknown } }>, versions: Record<string, number>) {
  for (const event of events) {
    expect([event.type, versions[event.type]]).toEqual([event.type, contracts[event.type]?.schemaVersion]);
    expect(() => contracts[event.type]?.schema.parse(event.data)).not.toThrow();
  }
}

describe('notifications contracts', () => {
  it('publish every rule event the decider emits under its contract', () => {
    const rule = {
      name: 'Overdue to the owner',
      trigger: 'task_overdue',
      templateKey: null,
      channel: 'sms',
      recipients: [{ kind: 'lead_owner' }, { kind: 'user', userId: 'user-7' }, { kind: 'role', role: 'Owner' }],
      subject: '',
      body: '{{task.name}} is overdue',
      critical: true,
      smsFallbackToEmail: true,
      digestWindow: null,
      throttle: { limit: 3, window: 'P1D' },
    };
    const defined = notificationRulesDecider.decide({ type: 'DefineNotificationRule', data: { ruleId: 'rule-1', rule }, metadata: meta }, notificationRulesDecider.initialState());
    const state = foldState(notificationRulesDecider, defined);
    const changed = notificationRulesDecider.decide({ type: 'ChangeNotificationRule', data: { ruleId: 'rule-1', rule: { ...rule, critical: false } }, metadata: meta }, state);
    const removed = notificationRulesDecider.decide({ type: 'RemoveNotificationRule', data: { ruleId: 'rule-1' }, metadata: meta }, state);
    expect([...defined, ...changed, ...removed].map((e) => e.type)).toEqual(['NotificationRuleDefined', 'NotificationRuleChanged', 'NotificationRuleRemoved']);
    expectPublishable([...defined, ...changed, ...removed], rules, notificationRulesDecider.schemaVersions);
  });

  it('publish every delivery event the decider emits under its contract', () => {
    const commands: DeliveryCommand['type'][] = [];
    const emitted: DeliveryEvent[] = [];
    const run = (command: Omit<DeliveryCommand, 'metadata'>) => {
      const events = deliveryDecider.decide({ ...command, metadata: meta } as DeliveryCommand, foldState(deliveryDecider, emitted));
      commands.push(command.type);
      emitted.push(...events);
    };
    run({ type: 'RequestDelivery', data: { deliveryId: 'd-1', ruleId: 'rule-1', trigger: 'reminder_due', subjectId: 'task-1', occurrence: 'P3D@2026-06-04T09:00:00.000Z', recipientId: 'user-1', channel: 'sms', critical: false } });
    run({ type: 'DeferDelivery', data: { until: '2026-06-01T20:00:00.000Z' } });
    run({ type: 'RecordAttemptFailure', data: { attempt: 1, reason: '503' } });
    run({ type: 'FallBack', data: { toChannel: 'email', reason: 'no phone' } });
    run({ type: 'RecordDelivered', data: { providerMessageId: 'm-1' } });
    const failed = deliveryDecider.decide({ type: 'RecordDeliveryFailure', data: { reason: 'bad address' }, metadata: meta }, foldState(deliveryDecider, emitted.slice(0, 1)));
    const suppressed = deliveryDecider.decide({ type: 'SuppressDelivery', data: { reason: 'muted' }, metadata: meta }, foldState(deliveryDecider, emitted.slice(0, 1)));
    const all = [...emitted, ...failed, ...suppressed];
    expect(new Set(all.map((e) => e.type))).toEqual(new Set(Object.keys(deliveries)));
    expectPublishable(all, deliveries, deliveryDecider.schemaVersions);
  });
});
