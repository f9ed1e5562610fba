import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import type { Producer } from 'kafkajs';
import { DateTime } from 'luxon';
import { Pool } from 'pg';
import { crmOrganizationEventsV1, GRPC_CONTRACTS, grpcServerContract, notificationDeliveriesV1, type notificationInboxV1, notificationRulesV1, PROTO_ROOT } from '@projectflo/contracts';
import { deriveId } from '@projectflo/platform/core';
import { bootstrapGrpcService, callUnary, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { Caller, eventually, freePort, TestTopics, waitForActiveMember, failedCall } from '@projectflo/platform/testing';
import { AesGcmPayloadCodec, connectTestEnvironment, decryptHistory, historyFixtureJson, replayHistories, type TemporalTestEnvironment, workflowId } from '@projectflo/platform/workflow';
import { NotificationsAppModule } from './app.module';
import { notificationWorkflowId } from './deliveries/notification-requests.repository';
import { deliveryIdOf } from './deliveries/notification.activities';
import { NOTIFICATIONS_WORKFLOWS_PATH } from './notifications.service-options';
import {
  FakeEmailProvider,
  FakePreferences,
  fakeDeliveryPorts,
  notificationsConsumerGroups,
  organizationMessage,
  scheduleMessage,
  taskCompleted,
  taskCreated,
  taskMessage,
} from './testing/notifications.test-support';

// Boots notifications in-process against the real Postgres, Kafka and Temporal, isolated by its own
// schema, topics and task queue, with an in-process email provider at the ChannelAdapter boundary
// (the real nodemailer → Mailpit path is the channels' and the e2e's), and drives it the way the
// task-engine, scheduling and crm do: by their events.

const run = randomBytes(4).toString('hex');
const schema = `nt_it_${run}`;
const topics = new TestTopics(`${schema}.`);
const taskQueue = `nt-it-${run}`;
const T = randomUUID();
const MANAGER = randomUUID();
const ALICE = randomUUID();
const BOB = randomUUID();

const email = new FakeEmailProvider();
const preferences = new FakePreferences();


type Delivery = notificationDeliveriesV1.Delivery;
const { DeliveryStatus } = notificationDeliveriesV1;


describe('notifications service (integration)', () => {
  let env: TemporalTestEnvironment;
  let running: RunningService<unknown>;
  let client: ReturnType<typeof createGrpcClient>;
  let producer: Producer;
  let pool: Pool;
  const manager = new Caller(T, MANAGER, ['manager']);
  const call = <R>(method: string, request: object, headers: Record<string, string> = manager.query()) => callUnary<R>(client, method, request, headers);
  const send = async (...messages: { topic: string; message: object }[]) => {
    for (const { topic, message } of messages) await producer.send({ topic, messages: [message as never] });
  };

  /** Defines a rule whose subject carries `marker`, so the fake provider's script and the assertions find its messages. */
  async function defineRule(marker: string, rule: Partial<notificationRulesV1.NotificationRuleSpec>): Promise<string> {
    const reply = await call<notificationRulesV1.DefineNotificationRuleResponse>(
      'DefineNotificationRule',
      {
        rule: {
          name: `rule ${marker}`,
          trigger: 'NOTIFICATION_TRIGGER_TASK_CREATED',
          templateKey: '',
          channel: 'NOTIFICATION_CHANNEL_EMAIL',
          recipients: [{ kind: 'RECIPIENT_KIND_ASSIGNEE', userId: '', role: '' }],
          subject: `[${marker}] {{task.name}} for {{recipient.name}}`,
          body: 'Hi {{recipient.name}}, {{task.name}} is due {{task.dueAt}} ({{tenant.name}}).',
          critical: false,
          smsFallbackToEmail: false,
          ...rule,
        },
      },
      manager.command(),
    );
    return reply.rule!.ruleId;
  }

  const deliveriesOf = async (taskId: string, ruleId: string): Promise<Delivery[]> =>
    (await call<notificationDeliveriesV1.ListDeliveriesResponse>('ListDeliveries', { subjectId: taskId, ruleId, recipientId: '' })).deliveries;

  /**
   * RELIABILITY 10: the finished notification's history replays against the current workflow code;
   * with RECORD_WORKFLOW_FIXTURES=1 it is kept (decrypted) in deliveries/__fixtures__ for the replay spec.
   */
  const notifyId = (ruleId: string, taskId: string, occurrence: string) => notificationWorkflowId({ tenantId: T, notificationId: deriveId('notification', ruleId, taskId, occurrence) });
  async function replayAndRecord(name: string, workflowId: string): Promise<void> {
    const handle = env.client.workflow.getHandle(workflowId);
    await handle.result();
    const history = await handle.fetchHistory();
    await replayHistories(NOTIFICATIONS_WORKFLOWS_PATH, [{ workflowId, history }], { payloadKeys: env.config.payloadKeys });
    if (process.env['RECORD_WORKFLOW_FIXTURES'] === '1') {
      const file = join(__dirname, 'deliveries', '__fixtures__', `${name}.history.json`);
      writeFileSync(file, historyFixtureJson(workflowId, await decryptHistory(history, new AesGcmPayloadCodec(env.config.payloadKeys))));
    }
  }

  /** Waits until the deliveries of a rule for a task (as the delivery log shows them) satisfy `done`. */
  const settled = (what: string, taskId: string, ruleId: string, done: (deliveries: Delivery[]) => boolean, timeoutMs = 90_000) =>
    eventually(() => deliveriesOf(taskId, ruleId), done, { what, timeoutMs, intervalMs: 300 });

  beforeAll(async () => {
    env = await connectTestEnvironment();
    pool = new Pool({ connectionString: databaseUrlFromEnv(), max: 2 });
    const kafka = topics.client(`nt-it-${run}`);
    producer = kafka.producer();
    await producer.connect();
    const port = await freePort();
    running = await bootstrapGrpcService({
      ...grpcServerContract('notifications'),
      appModule: NotificationsAppModule.withProviders(fakeDeliveryPorts(email, preferences)),
      env: { ...process.env, GRPC_PORT: String(port), DB_SCHEMA: schema, KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' },
    });
    const contract = GRPC_CONTRACTS.notifications;
    client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
    const now = new Date().toISOString();
    await send(
      organizationMessage(T, 'OrganizationRegistered', { organizationId: T, name: 'Studio North', timezone: 'Europe/Berlin', registeredAt: now, registeredBy: 'user-crm' }),
      organizationMessage(T, 'UserAdded', crmOrganizationEventsV1.userAddedV1(T, MANAGER, 'Manager', now)),
      organizationMessage(T, 'UserAdded', { ...crmOrganizationEventsV1.userAddedV1(T, ALICE, 'Member', now), name: 'Alice', email: 'alice@studio.example' }),
      organizationMessage(T, 'UserAdded', { ...crmOrganizationEventsV1.userAddedV1(T, BOB, 'Member', now), name: 'Bob', email: 'bob@studio.example', timezone: 'America/New_York' }),
    );
    await waitForActiveMember(running, T, MANAGER, 'Manager');
  }, 180_000);

  afterAll(async () => {
    client?.close();
    await running?.app.close();
    await producer?.disconnect();
    await topics.delete(notificationsConsumerGroups(schema));
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
    await env?.close();
  }, 60_000);

  it('refuses a rule with an unknown variable when it is saved, naming the field, and only managers and up define rules', async () => {
    const invalid = await failedCall(
      call('DefineNotificationRule', { rule: { name: 'x', trigger: 'NOTIFICATION_TRIGGER_TASK_DUE', channel: 'NOTIFICATION_CHANNEL_EMAIL', recipients: [{ kind: 'RECIPIENT_KIND_ASSIGNEE' }], subject: 'Due {{task.deadline}}', body: 'b' } }, manager.command()),
    );
    expect(invalid.code).toBe(status.INVALID_ARGUMENT);
    expect(invalid.details).toContain('rule.subject');
    expect(invalid.details).toContain('task.deadline');
    const member = new Caller(T, ALICE, ['member']);
    await waitForActiveMember(running, T, ALICE, 'Member');
    const denied = await failedCall(call('DefineNotificationRule', { rule: {} }, member.command()));
    expect(denied.code).toBe(status.PERMISSION_DENIED);
  }, 60_000);

  it('TaskCreated → one delivery, however often the trigger arrives (redelivered, repeated at the same instant)', async () => {
    const ruleId = await defineRule('created-once', {});
    const taskId = randomUUID();
    const created = taskMessage(T, taskId, 'TaskCreated', taskCreated(T, taskId, { assigneeId: ALICE, name: 'Send the contract' }));
    // The same event three times (a redelivery: one inbox claim) and an identical trigger with another event id.
    await send(created, created, created, taskMessage(T, taskId, 'TaskCreated', taskCreated(T, taskId, { assigneeId: ALICE, name: 'Send the contract' })));
    const [delivery] = await settled('one delivered email', taskId, ruleId, (d) => d.length === 1 && d[0]!.status === DeliveryStatus.DELIVERY_STATUS_DELIVERED);
    expect(delivery!.deliveryId).toBe(deliveryIdOf({ rule: { ruleId } as never, taskId, occurrence: 'created' }, ALICE));
    expect(delivery!.deliveryId).toBe(deriveId('delivery', ruleId, taskId, 'created', ALICE));
    expect(delivery!.recipientId).toBe(ALICE);
    const sent = email.to('created-once');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe('alice@studio.example');
    expect(sent[0]!.subject).toBe('[created-once] Send the contract for Alice');
    // Rendered in Alice's zone (UTC, from the directory) with the studio's name.
    expect(sent[0]!.text).toContain('(Studio North)');
    // Nothing more arrives later.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(email.to('created-once')).toHaveLength(1);
    const log = await call<notificationDeliveriesV1.GetDeliveryLogResponse>('GetDeliveryLog', { deliveryId: delivery!.deliveryId });
    expect(log.steps.map((s) => s.type)).toEqual(['DeliveryRequested', 'Delivered']);
  }, 150_000);

  it('a provider answering 503 and then 200 → exactly one Delivered, the failed attempt in the log', async () => {
    const ruleId = await defineRule('flaky', {});
    email.script('flaky', { transientFailures: 1 });
    const taskId = randomUUID();
    await send(taskMessage(T, taskId, 'TaskCreated', taskCreated(T, taskId, { assigneeId: ALICE })));
    const [delivery] = await settled('delivered after a retry', taskId, ruleId, (d) => d[0]?.status === DeliveryStatus.DELIVERY_STATUS_DELIVERED, 90_000);
    expect(delivery!.failedAttempts).toBe(1);
    expect(email.to('flaky')).toHaveLength(2);
    expect(new Set(email.to('flaky').map((m) => m.deliveryId))).toEqual(new Set([delivery!.deliveryId]));
    const log = await call<notificationDeliveriesV1.GetDeliveryLogResponse>('GetDeliveryLog', { deliveryId: delivery!.deliveryId });
    expect(log.steps.map((s) => s.type)).toEqual(['DeliveryRequested', 'DeliveryAttemptFailed', 'Delivered']);
    expect(log.steps[1]!.detail).toContain('503');
    await replayAndRecord('retry-then-delivered', notifyId(ruleId, taskId, 'created'));
  }, 150_000);

  it('a permanent failure is recorded with its reason and not retried', async () => {
    const ruleId = await defineRule('bounced', {});
    email.script('bounced', { permanent: 'mailbox does not exist (550)' });
    const taskId = randomUUID();
    await send(taskMessage(T, taskId, 'TaskCreated', taskCreated(T, taskId, { assigneeId: ALICE })));
    const [delivery] = await settled('failed', taskId, ruleId, (d) => d[0]?.status === DeliveryStatus.DELIVERY_STATUS_FAILED);
    expect(delivery!.reason).toBe('mailbox does not exist (550)');
    expect(email.to('bounced')).toHaveLength(1);
  }, 150_000);

  it('an SMS that cannot be delivered falls back to email where the rule says so', async () => {
    const ruleId = await defineRule('fallback', { channel: notificationRulesV1.NotificationChannel.NOTIFICATION_CHANNEL_SMS, smsFallbackToEmail: true });
    const taskId = randomUUID();
    await send(taskMessage(T, taskId, 'TaskCreated', taskCreated(T, taskId, { assigneeId: ALICE })));
    const [delivery] = await settled('delivered by email', taskId, ruleId, (d) => d[0]?.status === DeliveryStatus.DELIVERY_STATUS_DELIVERED);
    expect(delivery!.channel).toBe('NOTIFICATION_CHANNEL_EMAIL');
    const log = await call<notificationDeliveriesV1.GetDeliveryLogResponse>('GetDeliveryLog', { deliveryId: delivery!.deliveryId });
    expect(log.steps.map((s) => s.type)).toEqual(['DeliveryRequested', 'DeliveryFellBack', 'Delivered']);
    expect(email.to('fallback')).toHaveLength(1);
    await replayAndRecord('sms-fallback-to-email', notifyId(ruleId, taskId, 'created'));
  }, 150_000);

  it('an opt-out suppresses a non-critical rule and not a critical one', async () => {
    preferences.set(BOB, { channelOptOuts: ['email'] });
    const optional = await defineRule('optional', { trigger: notificationRulesV1.NotificationTrigger.NOTIFICATION_TRIGGER_TASK_COMPLETED });
    const critical = await defineRule('critical', { trigger: notificationRulesV1.NotificationTrigger.NOTIFICATION_TRIGGER_TASK_COMPLETED, critical: true });
    const taskId = randomUUID();
    await send(taskMessage(T, taskId, 'TaskCreated', taskCreated(T, taskId, { assigneeId: BOB })), taskMessage(T, taskId, 'TaskStatusChanged', taskCompleted(T, taskId)));
    const [suppressed] = await settled('the optional one settled', taskId, optional, (d) => d[0] !== undefined && d[0].status !== DeliveryStatus.DELIVERY_STATUS_REQUESTED);
    const [delivered] = await settled('the critical one settled', taskId, critical, (d) => d[0] !== undefined && d[0].status !== DeliveryStatus.DELIVERY_STATUS_REQUESTED);
    expect([suppressed!.critical, suppressed!.status, suppressed!.reason]).toEqual([false, DeliveryStatus.DELIVERY_STATUS_SUPPRESSED, 'opted_out']);
    expect([delivered!.critical, delivered!.status]).toEqual([true, DeliveryStatus.DELIVERY_STATUS_DELIVERED]);
    expect(email.to('optional')).toHaveLength(0);
    expect(email.to('critical')).toHaveLength(1);
  }, 150_000);

  it('a reminder in quiet hours across midnight waits until they end, then goes once, with the due date as .ics', async () => {
    // Quiet hours from 150 s from now until the minute 90 s from now, in Bob's zone (30..90 s away):
    // start after end, so the window spans midnight and holds now.
    const zone = 'America/New_York';
    const local = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + ms));
    preferences.set(BOB, { quietHours: { start: local(150_000), end: local(90_000) }, locale: 'de' });
    const ruleId = await defineRule('quiet', { trigger: notificationRulesV1.NotificationTrigger.NOTIFICATION_TRIGGER_REMINDER_DUE });
    const taskId = randomUUID();
    const dueAt = new Date(Date.now() + 86_400_000).toISOString();
    const scheduledFor = new Date().toISOString();
    await send(
      taskMessage(T, taskId, 'TaskCreated', taskCreated(T, taskId, { assigneeId: BOB, dueAt })),
      scheduleMessage(T, taskId, 'ReminderDue', { tenantId: T, taskId, reminderKey: 'P1D', scheduledFor, dueAt, firedAt: scheduledFor, templateKey: 'call-back' }),
    );
    const [deferred] = await settled('deferred', taskId, ruleId, (d) => d.some((x) => x.status === DeliveryStatus.DELIVERY_STATUS_DEFERRED));
    const log = await call<notificationDeliveriesV1.GetDeliveryLogResponse>('GetDeliveryLog', { deliveryId: deferred!.deliveryId });
    const until = new Date(log.steps.find((s) => s.type === 'DeliveryDeferred')!.detail);
    expect(email.to('quiet')).toHaveLength(0);
    await settled('delivered after quiet hours', taskId, ruleId, (d) => d.some((x) => x.status === DeliveryStatus.DELIVERY_STATUS_DELIVERED), 180_000);
    const [message] = email.to('quiet');
    expect(email.to('quiet')).toHaveLength(1);
    expect(Date.now()).toBeGreaterThanOrEqual(until.getTime());
    // The due date in Bob's zone (the directory's America/New_York) and locale (his preference, German).
    expect(message!.text).toContain(DateTime.fromISO(dueAt).setZone(zone).setLocale('de').toLocaleString(DateTime.DATETIME_FULL));
    expect(message!.attachments?.[0]?.filename).toBe('due-date.ics');
    expect(String(message!.attachments?.[0]?.content)).toContain('BEGIN:VEVENT');
    await replayAndRecord('quiet-hours-wait', notifyId(ruleId, taskId, `P1D@${scheduledFor}`));
  }, 240_000);

  it('waits for a recipient the user directory has not told it about yet, instead of deciding "nobody"', async () => {
    const ruleId = await defineRule('late-user', {});
    const CAROL = randomUUID();
    const taskId = randomUUID();
    await send(taskMessage(T, taskId, 'TaskCreated', taskCreated(T, taskId, { assigneeId: CAROL })));
    // The notification is running (its resolve activity retries) while Carol is unknown: nothing is delivered or failed.
    await eventually(() => env.client.workflow.getHandle(notificationWorkflowId({ tenantId: T, notificationId: deriveId('notification', ruleId, taskId, 'created') })).describe(), (d) => d.status.name === 'RUNNING', { what: 'the notification running', timeoutMs: 30_000, intervalMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await deliveriesOf(taskId, ruleId)).toEqual([]);
    await send(organizationMessage(T, 'UserAdded', { ...crmOrganizationEventsV1.userAddedV1(T, CAROL, 'Contributor', new Date().toISOString()), name: 'Carol', email: 'carol@studio.example' }));
    const [delivery] = await settled('delivered once Carol is known', taskId, ruleId, (d) => d[0]?.status === DeliveryStatus.DELIVERY_STATUS_DELIVERED, 60_000);
    expect(delivery!.recipientId).toBe(CAROL);
    expect(email.to('late-user').map((m) => m.to)).toEqual(['carol@studio.example']);
  }, 150_000);

  it('throttles: at most one overdue alert per recipient per window, the rest suppressed as throttled', async () => {
    const ruleId = await defineRule('throttled', { trigger: notificationRulesV1.NotificationTrigger.NOTIFICATION_TRIGGER_TASK_OVERDUE, throttle: { limit: 1, window: 'P1D' } });
    const [first, second] = [randomUUID(), randomUUID()];
    for (const taskId of [first!, second!]) {
      const dueAt = new Date(Date.now() - 3_600_000).toISOString();
      await send(taskMessage(T, taskId, 'TaskCreated', taskCreated(T, taskId, { assigneeId: ALICE, dueAt })), scheduleMessage(T, taskId, 'TaskOverdue', { tenantId: T, taskId, dueAt, firedAt: new Date().toISOString() }));
    }
    const outcomes = [];
    for (const taskId of [first!, second!]) {
      const [d] = await settled('settled', taskId, ruleId, (x) => x[0] !== undefined && x[0].status !== DeliveryStatus.DELIVERY_STATUS_REQUESTED);
      outcomes.push([d!.status, d!.reason]);
    }
    expect(outcomes.sort()).toEqual([
      [DeliveryStatus.DELIVERY_STATUS_DELIVERED, ''],
      [DeliveryStatus.DELIVERY_STATUS_SUPPRESSED, 'throttled'],
    ].sort());
    expect(email.to('throttled')).toHaveLength(1);
  }, 150_000);

  it('digests: three tasks created within the same second → one message to the recipient listing all three', async () => {
    const ruleId = await defineRule('digest', { digestWindow: 'PT30S' });
    // Not astride a window boundary: the three triggers fall in one window.
    while (Date.now() % 30_000 > 29_000) await new Promise((resolve) => setTimeout(resolve, 100));
    const tasks = [randomUUID(), randomUUID(), randomUUID()];
    const messages = tasks.map((taskId, i) => taskMessage(T, taskId, 'TaskCreated', taskCreated(T, taskId, { assigneeId: ALICE, name: `Digest task ${i + 1}` })));
    await send(...messages, messages[0]!);
    const digests = await eventually(
      async () => (await call<notificationDeliveriesV1.ListDeliveriesResponse>('ListDeliveries', { subjectId: '', ruleId, recipientId: ALICE })).deliveries,
      (d) => d.length === 1 && d[0]!.status === DeliveryStatus.DELIVERY_STATUS_DELIVERED,
      { what: 'one delivered digest', timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(digests[0]!.occurrence).toMatch(/^digest@/);
    const sent = email.to('rule digest');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe('rule digest: 3 tasks');
    for (const i of [1, 2, 3]) expect(sent[0]!.text).toContain(`Digest task ${i}`);
    await replayAndRecord('digest-of-three', workflowId('notifications', T, 'digest', digests[0]!.deliveryId));
  }, 150_000);

  it('tells no one of an overdue timer that fired for a task completed meanwhile', async () => {
    const ruleId = await defineRule('stale-overdue', { trigger: notificationRulesV1.NotificationTrigger.NOTIFICATION_TRIGGER_TASK_OVERDUE, critical: true });
    const taskId = randomUUID();
    const dueAt = new Date(Date.now() - 3_600_000).toISOString();
    await send(taskMessage(T, taskId, 'TaskCreated', taskCreated(T, taskId, { assigneeId: ALICE, dueAt })), taskMessage(T, taskId, 'TaskStatusChanged', taskCompleted(T, taskId)));
    await eventually(
      async () => (await pool.query<{ status: string }>(`SELECT status FROM "${schema}".task_facts WHERE task_id = $1`, [taskId])).rows[0]?.status,
      (status) => status === 'Completed',
      { what: 'the completion in the facts', timeoutMs: 60_000, intervalMs: 300 },
    );
    await send(scheduleMessage(T, taskId, 'TaskOverdue', { tenantId: T, taskId, dueAt, firedAt: new Date().toISOString() }));
    const handle = env.client.workflow.getHandle(notifyId(ruleId, taskId, `overdue@${dueAt}`));
    const summary = await eventually(() => handle.result(), () => true, { what: 'the notification finished', timeoutMs: 60_000, intervalMs: 500 });
    expect(summary).toEqual({ outcome: 'not_applicable', deliveries: [] });
    expect(await deliveriesOf(taskId, ruleId)).toEqual([]);
    expect(email.to('stale-overdue')).toHaveLength(0);
  }, 150_000);

  it('in-app: N identical triggers at the same instant → one delivery and one inbox item for the recipient', async () => {
    const ruleId = await defineRule('in-app', { channel: notificationRulesV1.NotificationChannel.NOTIFICATION_CHANNEL_IN_APP });
    const alice = new Caller(T, ALICE, ['member']);
    const taskId = randomUUID();
    const created = () => taskMessage(T, taskId, 'TaskCreated', taskCreated(T, taskId, { assigneeId: ALICE, name: 'Pick the venue' }));
    await Promise.all([created(), created(), created(), created()].map((m) => send(m)));
    const [delivery] = await settled('delivered in-app', taskId, ruleId, (d) => d[0]?.status === DeliveryStatus.DELIVERY_STATUS_DELIVERED);
    expect(delivery!.providerMessageId).toBe(`in-app:${delivery!.deliveryId}`);
    const items = await eventually(
      async () =>
        (await call<notificationInboxV1.ListNotificationsResponse>('ListNotifications', { filter: 'INBOX_FILTER_UNSPECIFIED' }, alice.query())).items.filter((i) => i.taskId === taskId),
      (found) => found.length > 0,
      { what: "the item in Alice's inbox", timeoutMs: 60_000, intervalMs: 300 },
    );
    expect(items.map((i) => [i.itemId, i.ruleId, i.title])).toEqual([[delivery!.deliveryId, ruleId, '[in-app] Pick the venue for Alice']]);
  }, 150_000);
});
