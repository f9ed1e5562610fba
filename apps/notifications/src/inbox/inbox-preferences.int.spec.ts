import { randomBytes, randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { crmOrganizationEventsV1, GRPC_CONTRACTS, grpcServerContract, notificationChannelsV1, notificationInboxV1, notificationPreferencesV1, PROTO_ROOT } from '@projectflo/contracts';
import { automationMetadata, deriveId } from '@projectflo/platform/core';
import { bootstrapGrpcService, callUnary, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { Caller, eventually, freePort, relayedEvent, TestTopics, waitForActiveMember, failedCall } from '@projectflo/platform/testing';
import { NotificationsAppModule } from '../app.module';
import { NOTIFICATIONS_SERVICE } from '../notifications.streams';
import { ChannelAdapters } from '../channels/channel-adapters';
import { ChannelSettingsCommands } from '../channels/channel-settings.commands';
import { PreferencesCommands } from '../preferences/preferences.commands';
import { notificationsConsumerGroups } from '../testing/notifications.test-support';
import { InboxCommands } from './inbox.commands';

// The in-app inbox and the preferences against real Postgres and Kafka: items delivered by the
// delivery workflow's in-app channel (InboxCommands.deliver), read and managed by their recipient
// over gRPC; preferences set over gRPC and read by RecipientPreferences.of.
const run = randomBytes(4).toString('hex');
const schema = `nt_inbox_${run}`;
const topics = new TestTopics(`${schema}.`);
const T = randomUUID();
const ALICE = randomUUID();
const BOB = randomUUID();
const ADMIN = randomUUID();
const MAILPIT_URL = process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025';
const RULE = randomUUID();

const { InboxFilter } = notificationInboxV1;
type Item = notificationInboxV1.InboxItem;


describe('in-app inbox, preferences and channel settings (integration)', () => {
  let running: RunningService<unknown>;
  let client: ReturnType<typeof createGrpcClient>;
  let producer: Producer;
  let pool: Pool;
  const alice = new Caller(T, ALICE, ['client']);
  const bob = new Caller(T, BOB, ['member']);
  const admin = new Caller(T, ADMIN, ['admin']);
  const call = <R>(method: string, request: object, headers: Record<string, string>) => callUnary<R>(client, method, request, headers);

  const deliver = (deliveryId: string, title: string, recipientId = ALICE) =>
    running.app.get(InboxCommands).deliver(automationMetadata({ service: NOTIFICATIONS_SERVICE, tenantId: T, requestId: deriveId('in-app', deliveryId), now: new Date() }), {
      deliveryId,
      tenantId: T,
      recipientId,
      ruleId: RULE,
      title,
      body: `${title}: body`,
      taskId: randomUUID(),
    });
  const list = async (who: Caller, filter: notificationInboxV1.InboxFilter): Promise<Item[]> =>
    (await call<notificationInboxV1.ListNotificationsResponse>('ListNotifications', { filter }, who.query())).items;
  const unread = async (who: Caller): Promise<number> => (await call<notificationInboxV1.GetUnreadCountResponse>('GetUnreadCount', {}, who.query())).unread;
  /** The unread count and the unread list, read together: they must agree. */
  const unreadState = async (who: Caller) => {
    const [count, items] = [await unread(who), await list(who, InboxFilter.INBOX_FILTER_UNREAD)];
    expect(count).toBe(items.length);
    return items;
  };

  beforeAll(async () => {
    pool = new Pool({ connectionString: databaseUrlFromEnv(), max: 2 });
    producer = topics.client(`nt-inbox-${run}`).producer();
    await producer.connect();
    const port = await freePort();
    running = await bootstrapGrpcService({
      ...grpcServerContract('notifications'),
      appModule: NotificationsAppModule,
      env: { ...process.env, GRPC_PORT: String(port), DB_SCHEMA: schema, KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: `nt-inbox-${run}`, LOG_LEVEL: 'warn' },
    });
    const contract = GRPC_CONTRACTS.notifications;
    client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
    const now = new Date().toISOString();
    for (const [user, role] of [[ALICE, 'Client'], [BOB, 'Member'], [ADMIN, 'Admin']] as const) {
      await producer.send({
        topic: crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1,
        messages: [relayedEvent('crm', `organization-${T}`, T, 'UserAdded', crmOrganizationEventsV1.userAddedV1(T, user, role, now)) as never],
      });
    }
    await waitForActiveMember(running, T, ALICE, 'Client');
    await waitForActiveMember(running, T, BOB, 'Member');
    await waitForActiveMember(running, T, ADMIN, 'Admin');
  }, 180_000);

  afterAll(async () => {
    client?.close();
    await running?.app.close();
    await producer?.disconnect();
    await topics.delete(notificationsConsumerGroups(schema));
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
  }, 60_000);

  it('N identical in-app deliveries at the same instant → one inbox row, unread count equal to the unread list', async () => {
    const deliveryId = randomUUID();
    await Promise.all(Array.from({ length: 5 }, () => deliver(deliveryId, 'Proofs due Friday')));
    await deliver(deliveryId, 'Proofs due Friday');
    const items = await eventually(() => unreadState(alice), (i) => i.length === 1, { what: 'the item in the unread list' });
    expect(items[0]).toMatchObject({ itemId: deliveryId, ruleId: RULE, title: 'Proofs due Friday', body: 'Proofs due Friday: body', version: '1' });
    expect((await pool.query(`SELECT count(*)::int AS n FROM "${schema}".events WHERE stream_name = $1`, [`inbox-item-${deliveryId}`])).rows[0].n).toBe(1);
  }, 60_000);

  it('another user sees nothing of it and cannot act on it (NOT_FOUND)', async () => {
    const [item] = await list(alice, InboxFilter.INBOX_FILTER_UNREAD);
    expect(await list(bob, InboxFilter.INBOX_FILTER_UNSPECIFIED)).toEqual([]);
    expect(await unread(bob)).toBe(0);
    for (const method of ['MarkNotificationRead', 'ArchiveNotification']) {
      expect((await failedCall(call(method, { itemId: item!.itemId }, bob.command()))).code).toBe(status.NOT_FOUND);
    }
    expect((await failedCall(call('SnoozeNotification', { itemId: item!.itemId, until: { seconds: Math.floor(Date.now() / 1000) + 3600, nanos: 0 } }, bob.command()))).code).toBe(status.NOT_FOUND);
  }, 30_000);

  it('mark read, archive, snooze (excluded from unread and the count until it ends), mark all read', async () => {
    const [first] = await list(alice, InboxFilter.INBOX_FILTER_UNREAD);
    const second = randomUUID();
    const third = randomUUID();
    await deliver(second, 'Contract signed');
    await deliver(third, 'Shoot tomorrow');
    await eventually(() => unreadState(alice), (i) => i.length === 3, { what: 'three unread' });

    const read = await call<notificationInboxV1.MarkNotificationReadResponse>('MarkNotificationRead', { itemId: first!.itemId }, alice.command());
    expect(read.item?.readAt).toBeDefined();
    expect((await failedCall(call('MarkNotificationRead', { itemId: first!.itemId }, alice.command()))).code).toBe(status.FAILED_PRECONDITION);
    await eventually(() => unreadState(alice), (i) => i.length === 2 && !i.some((x) => x.itemId === first!.itemId), { what: 'two unread after one read' });

    const until = Math.floor(Date.now() / 1000) + 4;
    await call('SnoozeNotification', { itemId: second, until: { seconds: until, nanos: 0 } }, alice.command());
    const snoozed = await eventually(() => list(alice, InboxFilter.INBOX_FILTER_SNOOZED), (i) => i.length === 1, { what: 'the snoozed item' });
    expect(snoozed[0]!.itemId).toBe(second);
    expect((await unreadState(alice)).map((i) => i.itemId)).toEqual([third]);
    // The snooze ends: back in the unread list and the count, without any event.
    await eventually(() => unreadState(alice), (i) => i.length === 2, { what: 'the snoozed item back after its snooze', timeoutMs: 15_000 });

    const past = await failedCall(call('SnoozeNotification', { itemId: third, until: { seconds: Math.floor(Date.now() / 1000) - 60, nanos: 0 } }, alice.command()));
    expect(past.code).toBe(status.INVALID_ARGUMENT);
    expect(past.details).toContain('until');

    await call('ArchiveNotification', { itemId: first!.itemId }, alice.command());
    await eventually(() => list(alice, InboxFilter.INBOX_FILTER_ARCHIVED), (i) => i.length === 1 && i[0]!.itemId === first!.itemId, { what: 'the archived item' });

    const all = await call<notificationInboxV1.MarkAllNotificationsReadResponse>('MarkAllNotificationsRead', {}, alice.command());
    expect(all.marked).toBe(2);
    await eventually(() => unreadState(alice), (i) => i.length === 0, { what: 'nothing unread' });
    expect(await list(alice, InboxFilter.INBOX_FILTER_UNSPECIFIED)).toHaveLength(2);
  }, 60_000);

  it('preferences: defaults, set (quiet hours across midnight, an opt-out, a muted rule), RecipientPreferences.of, refusals naming the field', async () => {
    const initial = await call<notificationPreferencesV1.GetNotificationPreferencesResponse>('GetNotificationPreferences', {}, alice.query());
    expect(initial.preferences).toMatchObject({ channelOptOuts: [], mutedRuleIds: [], timezone: '', locale: '' });
    expect(initial.version).toBe('0');

    const set = await call<notificationPreferencesV1.SetNotificationPreferencesResponse>(
      'SetNotificationPreferences',
      { preferences: { channelOptOuts: ['NOTIFICATION_CHANNEL_SMS'], mutedRuleIds: [RULE], quietHours: { start: '22:00', end: '07:00' }, timezone: 'europe/berlin', locale: 'de-DE' } },
      alice.command(),
    );
    expect(set.version).toBe('1');
    expect(set.preferences).toMatchObject({ channelOptOuts: ['NOTIFICATION_CHANNEL_SMS'], mutedRuleIds: [RULE], quietHours: { start: '22:00', end: '07:00' }, timezone: 'Europe/Berlin', locale: 'de-DE' });
    expect(await running.app.get(PreferencesCommands).of(T, ALICE)).toEqual({
      channelOptOuts: ['sms'],
      mutedRuleIds: [RULE],
      quietHours: { start: '22:00', end: '07:00' },
      timezone: 'Europe/Berlin',
      locale: 'de-DE',
    });
    // Bob's are his own: still the defaults; another tenant's user is unknown here.
    expect(await running.app.get(PreferencesCommands).of(T, BOB)).toMatchObject({ channelOptOuts: [], quietHours: null });
    expect(await running.app.get(PreferencesCommands).of(randomUUID(), ALICE)).toMatchObject({ channelOptOuts: [], quietHours: null });

    const inApp = await failedCall(call('SetNotificationPreferences', { preferences: { channelOptOuts: ['NOTIFICATION_CHANNEL_IN_APP'] } }, alice.command()));
    expect(inApp.code).toBe(status.INVALID_ARGUMENT);
    expect(inApp.details).toContain('preferences.channel_opt_outs');
    const noZone = await failedCall(call('SetNotificationPreferences', { preferences: { quietHours: { start: '22:00', end: '07:00' } } }, alice.command()));
    expect(noZone.code).toBe(status.INVALID_ARGUMENT);
    expect(noZone.details).toContain('preferences.timezone');
    const stale = await failedCall(call('SetNotificationPreferences', { preferences: {}, expectedVersion: '0' }, alice.command()));
    expect(stale.code).toBe(status.ABORTED);
  }, 60_000);

  it('channel settings: admins only, secrets sealed (never in a reply, an event or the table in plaintext), used by the email adapter', async () => {
    const password = `pw-${randomUUID()}`;
    const request = { channel: 'EXTERNAL_CHANNEL_EMAIL', sender: 'Studio North <hello@north.example>', username: 'north', secret: password };
    expect((await failedCall(call('SetChannelSettings', request, bob.command()))).code).toBe(status.PERMISSION_DENIED);
    const set = await call<notificationChannelsV1.SetChannelSettingsResponse>('SetChannelSettings', request, admin.command());
    expect(set.settings).toEqual({ channel: 'EXTERNAL_CHANNEL_EMAIL', configured: true, sender: 'Studio North <hello@north.example>', username: 'north', secretSet: true });
    const got = await call<notificationChannelsV1.GetChannelSettingsResponse>('GetChannelSettings', {}, admin.query());
    expect(got.channels.map((c) => [c.channel, c.configured, c.secretSet])).toEqual([
      ['EXTERNAL_CHANNEL_EMAIL', true, true],
      ['EXTERNAL_CHANNEL_SMS', false, false],
      ['EXTERNAL_CHANNEL_SLACK', false, false],
    ]);
    expect(JSON.stringify(got)).not.toContain(password);

    const events = await pool.query(`SELECT type, data::text AS data FROM "${schema}".events WHERE stream_name = $1`, [`channel-settings-${T}`]);
    expect(events.rows.map((r) => r.type)).toEqual(['ChannelSettingsChanged']);
    expect(events.rows[0].data).not.toContain(password);
    expect(JSON.parse(events.rows[0].data)).toMatchObject({ secretChanged: true, secret: { secretId: expect.any(String), kekId: expect.any(String) } });
    const stored = await pool.query(`SELECT sealed::text AS sealed FROM "${schema}".channel_secrets WHERE tenant_id = $1`, [T]);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].sealed).not.toContain(password);

    const credentials = await running.app.get(ChannelSettingsCommands).forTenant(T);
    expect(credentials.email?.password?.reveal()).toBe(password);
    expect(String(credentials.email?.password)).toBe('[redacted]');

    const badWebhook = await failedCall(call('SetChannelSettings', { channel: 'EXTERNAL_CHANNEL_SLACK', sender: '', username: '', secret: 'ftp://hooks.example/x' }, admin.command()));
    expect(badWebhook.code).toBe(status.INVALID_ARGUMENT);
    expect(badWebhook.details).toContain('secret');

    // The app's email adapter sends through Mailpit with the tenant's sender and credentials.
    const email = running.app.get(ChannelAdapters).all.find((a) => a.channel === 'email')!;
    const deliveryId = randomUUID();
    await email.send({ deliveryId, tenantId: T, to: 'alice@north.example', subject: 'Channel check', text: 'hello' });
    const arrived = await eventually(
      async () => {
        const r = await fetch(`${MAILPIT_URL}/api/v1/search?query=${encodeURIComponent(`message-id:"${deliveryId}@projectflo.notifications"`)}`);
        return ((await r.json()) as { messages: { From: { Address: string } }[] }).messages;
      },
      (m) => m.length === 1,
      { what: 'the email in Mailpit' },
    );
    expect(arrived[0]!.From.Address).toBe('hello@north.example');
  }, 60_000);
});
