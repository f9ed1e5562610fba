import { notificationsInboxEventsV1, notificationsPreferencesEventsV1 } from '@projectflo/contracts';
import { type CommandMetadata, deciderSpecification, DomainError, foldState } from '@projectflo/platform/core';
import { preferencesDecider } from '../preferences/preferences.decider';
import { inboxItemDecider } from './inbox-item.decider';
import type { InboxItemCommand, InboxItemEvent } from './inbox-item.events';

const now = new Date('2026-06-01T09:00:00Z');
const meta: CommandMetadata = { tenantId: 'tenant-a', actorId: 'user-1', actorKind: 'user', requestId: 'r', now };
const received: InboxItemEvent = {
  type: 'NotificationReceived',
  data: { tenantId: 'tenant-a', itemId: 'd-1', recipientId: 'user-1', ruleId: 'rule-1', title: 'Proofs due', body: 'Friday', link: null, taskId: 'task-1', receivedAt: now.toISOString() },
};
const command = (c: Omit<InboxItemCommand, 'metadata'>) => ({ ...c, metadata: meta }) as InboxItemCommand;

describe('inbox item decider', () => {
  const spec = deciderSpecification(inboxItemDecider);

  it('delivers once: a second delivery of the same item is a no-op', () => {
    const deliver = command({ type: 'DeliverToInbox', data: { itemId: 'd-1', recipientId: 'user-1', ruleId: 'rule-1', title: ' Proofs due ', body: 'Friday', link: null, taskId: 'task-1' } });
    spec.given([]).when(deliver).then([received]);
    spec.given([received]).when(deliver).then([]);
  });

  it('only its recipient acts on it; another user is NOT_FOUND', () => {
    expect(() => inboxItemDecider.decide(command({ type: 'MarkNotificationRead', data: { itemId: 'd-1', recipientId: 'user-2' } }), foldState(inboxItemDecider, [received]))).toThrow(DomainError);
    spec.given([received]).when(command({ type: 'MarkNotificationRead', data: { itemId: 'd-1', recipientId: 'user-1' } })).then([
      { type: 'NotificationRead', data: { tenantId: 'tenant-a', itemId: 'd-1', recipientId: 'user-1', readAt: now.toISOString() } },
    ]);
  });

  it('refuses a snooze in the past or more than 366 days ahead, and reading twice', () => {
    const state = foldState(inboxItemDecider, [received]);
    expect(() => inboxItemDecider.decide(command({ type: 'SnoozeNotification', data: { itemId: 'd-1', recipientId: 'user-1', until: new Date(now.getTime() - 1) } }), state)).toThrow(/until/);
    expect(() => inboxItemDecider.decide(command({ type: 'SnoozeNotification', data: { itemId: 'd-1', recipientId: 'user-1', until: new Date(now.getTime() + 367 * 86_400_000) } }), state)).toThrow(/until/);
    const read = foldState(inboxItemDecider, [received, { type: 'NotificationRead', data: { tenantId: 'tenant-a', itemId: 'd-1', recipientId: 'user-1', readAt: now.toISOString() } }]);
    expect(() => inboxItemDecider.decide(command({ type: 'MarkNotificationRead', data: { itemId: 'd-1', recipientId: 'user-1' } }), read)).toThrow(/already read/);
  });

  it('emits only events its published contract accepts', () => {
    const contracts = notificationsInboxEventsV1.notificationsInboxEventContractsV1;
    const events: InboxItemEvent[] = [received];
    for (const c of [
      { type: 'SnoozeNotification', data: { itemId: 'd-1', recipientId: 'user-1', until: new Date(now.getTime() + 3600_000) } },
      { type: 'MarkNotificationRead', data: { itemId: 'd-1', recipientId: 'user-1' } },
      { type: 'ArchiveNotification', data: { itemId: 'd-1', recipientId: 'user-1' } },
    ] as const) {
      events.push(...inboxItemDecider.decide(command(c), foldState(inboxItemDecider, events)));
    }
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(Object.keys(contracts)));
    for (const e of events) {
      expect(inboxItemDecider.schemaVersions[e.type]).toBe(contracts[e.type].schemaVersion);
      expect(() => contracts[e.type].schema.parse(e.data)).not.toThrow();
    }
  });
});

describe('preferences decider', () => {
  const set = (preferences: Partial<Parameters<typeof preferencesDecider.decide>[0]['data']['preferences']>) =>
    preferencesDecider.decide(
      { type: 'SetNotificationPreferences', data: { userId: 'user-1', preferences: { channelOptOuts: [], mutedRuleIds: [], quietHours: null, timezone: null, locale: null, ...preferences } }, metadata: meta },
      preferencesDecider.initialState(),
    );

  it('keeps quiet hours across midnight with the zone in its canonical spelling, under the published contract', () => {
    const [event] = set({ channelOptOuts: ['sms', 'sms'], quietHours: { start: '22:00', end: '07:00' }, timezone: 'europe/berlin', locale: 'de-DE' });
    expect(event!.data).toMatchObject({ channelOptOuts: ['sms'], quietHours: { start: '22:00', end: '07:00' }, timezone: 'Europe/Berlin' });
    const contract = notificationsPreferencesEventsV1.notificationsPreferencesEventContractsV1.NotificationPreferencesSet;
    expect(() => contract.schema.parse(event!.data)).not.toThrow();
  });

  it('refuses opting out of in-app, quiet hours without a zone, equal start and end, a malformed time', () => {
    expect(() => set({ channelOptOuts: ['in_app'] })).toThrow(DomainError);
    expect(() => set({ quietHours: { start: '22:00', end: '07:00' } })).toThrow(DomainError);
    expect(() => set({ quietHours: { start: '22:00', end: '22:00' }, timezone: 'UTC' })).toThrow(DomainError);
    expect(() => set({ quietHours: { start: '24:00', end: '07:00' }, timezone: 'UTC' })).toThrow(DomainError);
  });
});
