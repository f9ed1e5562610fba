import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { DateTime } from 'luxon';
import { crmOrganizationEventsV1, GRPC_CONTRACTS, grpcServerContract, PROTO_ROOT, schedulingRemindersV1, tasksBusinessCalendarEventsV1, tasksTaskEventsV1 } from '@projectflo/contracts';
import { bootstrapGrpcService, callUnary, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import { createOwnerOrm, databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { EVENT_STORE } from '@projectflo/platform/service';
import type { EventStore } from '@projectflo/platform/core';
import { Caller, eventually, freePort, relayedEvent, TestTopics, waitForActiveMember, failedCall } from '@projectflo/platform/testing';
import {
  AesGcmPayloadCodec,
  buildSearchAttributes,
  connectTestEnvironment,
  decryptHistory,
  historyFixtureJson,
  replayHistories,
  searchAttributeQuery,
  type TemporalTestEnvironment,
} from '@projectflo/platform/workflow';
import { type BusinessCalendar, planTimers, SchedulingStreams } from '@projectflo/scheduling/domain';
import { SchedulingAppModule } from '../app.module';
import { SCHEDULING_READ_MODEL_TABLES, rebuildSchedulingReadModel } from '../read-model/read-model.rebuild';
import { schedulingProjections } from '../read-model/scheduling-read-model';
import { SCHEDULING_SERVICE_OPTIONS, SCHEDULING_WORKFLOWS_PATH } from '../scheduling.service-options';
import { schedulingConsumerGroups, taskCompleted, taskCreated, taskMessage, taskRescheduled } from '../testing/scheduling.test-support';
import { taskTimersWorkflowId } from './task-timers.starter';
import { pendingQuery, taskTimersWorkflow } from './task-timers.workflows';

// Boots scheduling in-process against the real Postgres, Kafka and Temporal, isolated by its own
// schema (hence consumer groups), topics and task queue, and feeds it task events the way the
// task-engine's relay does. Offsets are seconds, so every timer really runs on the Temporal server.

const DATABASE_URL = databaseUrlFromEnv();
/** Histories replayed by task-timers.workflows.replay.int.spec.ts (refreshed with RECORD_WORKFLOW_FIXTURES=1). */
const FIXTURES = join(__dirname, '__fixtures__');
const run = randomBytes(4).toString('hex');
const schema = `sch_it_${run}`;
const topics = new TestTopics(`${schema}.`);
const taskQueue = `sch-it-${run}`;
const T = randomUUID();
/** Another tenant, whose owner must never see T's schedules. */
const B = randomUUID();
const OWNER = randomUUID();
const CONTRIBUTOR = randomUUID();
/** Reminders 6 s and 3 s before the due moment; overdue 2 s after it (the e2e way: short offsets). */
const POLICY = {
  offsets: ['PT3S', 'PT6S', 'PT6S'],
  templateOverrides: [{ templateKey: 'site-visit', offsets: ['PT4S'] }],
  outsideWorkingTime: schedulingRemindersV1.OutsideWorkingTime.OUTSIDE_WORKING_TIME_FIRE_ANYWAY,
  overdueAfter: 'PT2S',
  version: '0',
};


interface StoredEvent {
  readonly type: string;
  readonly data: Record<string, string>;
}

describe('scheduling task timers (integration)', () => {
  let env: TemporalTestEnvironment;
  let running: RunningService<unknown> | undefined;
  let producer: Producer;
  let pool: Pool;
  let client: ReturnType<typeof createGrpcClient> | undefined;

  const boot = async () => {
    const port = await freePort();
    running = await bootstrapGrpcService({
      ...grpcServerContract('scheduling'),
      appModule: SchedulingAppModule,
      env: { ...process.env, GRPC_PORT: String(port), DB_SCHEMA: schema, KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' },
    });
    const contract = GRPC_CONTRACTS.scheduling;
    client?.close();
    client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
  };
  const call = <R>(method: string, request: object, headers: Record<string, string>) => callUnary<R>(client!, method, request, headers);
  const enrol = async (tenantId: string, userId: string, role: 'Owner' | 'Contributor') => {
    const now = new Date().toISOString();
    await producer.send({
      topic: crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1,
      messages: [relayedEvent('crm', `organization-${tenantId}`, tenantId, 'UserAdded', crmOrganizationEventsV1.userAddedV1(tenantId, userId, role, now))],
    });
    await waitForActiveMember(running!, tenantId, userId, role);
  };
  const send = (taskId: string, type: string, data: unknown, eventId?: string) =>
    producer.send({ topic: tasksTaskEventsV1.TASKS_TASK_TOPIC_V1, messages: [taskMessage(T, taskId, type, data, eventId)] });
  const scheduleEvents = async (taskId: string): Promise<StoredEvent[]> =>
    (
      await pool.query<StoredEvent>(`SELECT type, data FROM "${schema}".events WHERE stream_name = $1 ORDER BY stream_position`, [
        SchedulingStreams.taskSchedule(taskId),
      ])
    ).rows;
  const waitForEvent = (taskId: string, matches: (e: StoredEvent) => boolean, what: string, timeoutMs = 60_000) =>
    eventually(() => scheduleEvents(taskId), (events) => events.some(matches), { what, timeoutMs, intervalMs: 200 });
  const fired = (events: StoredEvent[]) => events.filter((e) => ['ReminderDue', 'TaskDue', 'TaskOverdue'].includes(e.type));
  /** Every firing happened at or after its time, never before; how late each was is printed (lateness is measured in bench/). */
  const expectNeverEarly = (events: StoredEvent[]) => {
    const late: string[] = [];
    for (const e of fired(events)) {
      const at = e.type === 'ReminderDue' ? e.data.scheduledFor : e.type === 'TaskDue' ? e.data.dueAt : undefined;
      if (at === undefined) continue;
      expect(Date.parse(e.data.firedAt)).toBeGreaterThanOrEqual(Date.parse(at));
      late.push(`${e.type}${e.data.reminderKey ? ` ${e.data.reminderKey}` : ''} +${Date.parse(e.data.firedAt) - Date.parse(at)} ms`);
    }
    process.stdout.write(`firing lateness: ${late.join(', ')}\n`);
  };
  const later = (ms: number) => new Date(Date.now() + ms);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    env = await connectTestEnvironment();
    pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
    producer = topics.client(`sch-it-${run}`).producer();
    await producer.connect();
    await boot();
    await enrol(T, OWNER, 'Owner');
    await enrol(T, CONTRIBUTOR, 'Contributor');
    await enrol(B, OWNER, 'Owner');
  }, 180_000);

  afterAll(async () => {
    client?.close();
    await running?.app.close();
    await producer?.disconnect();
    await topics.delete(schedulingConsumerGroups(schema));
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
    await env?.close();
  }, 60_000);

  it('sets the reminder policy over gRPC: managers and up only, every field checked and named, normalised as kept', async () => {
    const fresh = await call<schedulingRemindersV1.GetReminderPolicyResponse>('GetReminderPolicy', {}, new Caller(T, CONTRIBUTOR, ['contributor']).query());
    expect(fresh.policy).toMatchObject({ offsets: ['P3D', 'P1D'], overdueAfter: 'P1D', version: '0' });
    const denied = await failedCall(call('SetReminderPolicy', { policy: POLICY }, new Caller(T, CONTRIBUTOR, ['contributor']).command()));
    expect(denied.code).toBe(status.PERMISSION_DENIED);
    const invalid = await failedCall(
      call(
        'SetReminderPolicy',
        { policy: { ...POLICY, offsets: ['P1M', 'PT0S'], workingHours: { start: '18:00', end: '08:00' }, overdueAfter: 'soon' } },
        new Caller(T, OWNER).command(),
      ),
    );
    expect(invalid.code).toBe(status.INVALID_ARGUMENT);
    for (const field of ['policy.offsets[0]', 'policy.offsets[1]', 'policy.working_hours.end', 'policy.overdue_after']) expect(invalid.details).toContain(field);
    const unset = await failedCall(call('SetReminderPolicy', { policy: { ...POLICY, outsideWorkingTime: 0 } }, new Caller(T, OWNER).command()));
    expect([unset.code, unset.details]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining('policy.outside_working_time')]);
    const set = await call<schedulingRemindersV1.SetReminderPolicyResponse>('SetReminderPolicy', { policy: POLICY, expectedVersion: '0' }, new Caller(T, OWNER).command());
    expect(set.policy).toMatchObject({ offsets: ['PT6S', 'PT3S'], templateOverrides: [{ templateKey: 'site-visit', offsets: ['PT4S'] }], overdueAfter: 'PT2S', version: '1' });
    const stale = await failedCall(call('SetReminderPolicy', { policy: POLICY, expectedVersion: '0' }, new Caller(T, OWNER).command()));
    expect(stale.code).toBe(status.ABORTED);
    // Another tenant keeps its own (default) policy.
    expect((await call<schedulingRemindersV1.GetReminderPolicyResponse>('GetReminderPolicy', {}, new Caller(B, OWNER).query())).policy?.offsets).toEqual(['P3D', 'P1D']);
  });

  it('fires each reminder once and in order, then the due and overdue moments, never early, however often TaskCreated is delivered', async () => {
    const taskId = randomUUID();
    const dueAt = later(9_000);
    const created = taskCreated(T, taskId, dueAt);
    const eventId = randomUUID();
    // Delivered three times (a relay replay): one schedule, one workflow.
    for (let i = 0; i < 3; i++) await send(taskId, 'TaskCreated', created, eventId);
    // While its timers are pending: GetTaskSchedule and ListTaskSchedules show them; another tenant sees nothing.
    const schedule = await eventually(
      () => call<schedulingRemindersV1.GetTaskScheduleResponse>('GetTaskSchedule', { taskId }, new Caller(T, CONTRIBUTOR, ['contributor']).query()).catch(() => undefined),
      (r) => r !== undefined,
      { what: 'the schedule in the read model', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(schedule?.schedule?.pending.map((p) => [p.kind, p.reminderKey])).toEqual([
      [schedulingRemindersV1.TimerKind.TIMER_KIND_REMINDER, 'PT6S'],
      [schedulingRemindersV1.TimerKind.TIMER_KIND_REMINDER, 'PT3S'],
      [schedulingRemindersV1.TimerKind.TIMER_KIND_DUE, ''],
      [schedulingRemindersV1.TimerKind.TIMER_KIND_OVERDUE, ''],
    ]);
    const listed = await call<schedulingRemindersV1.ListTaskSchedulesResponse>('ListTaskSchedules', { page: { pageSize: 200, pageToken: '' } }, new Caller(T, OWNER).query());
    expect(listed.schedules.map((x) => x.taskId)).toContain(taskId);
    expect((await failedCall(call('GetTaskSchedule', { taskId }, new Caller(B, OWNER).query()))).code).toBe(status.NOT_FOUND);
    expect((await failedCall(call('GetTaskSchedule', { taskId: randomUUID() }, new Caller(T, OWNER).query()))).code).toBe(status.NOT_FOUND);
    const events = await waitForEvent(taskId, (e) => e.type === 'TaskOverdue', 'TaskOverdue');
    expect(events.map((e) => [e.type, e.data.reminderKey])).toEqual([
      ['TaskScheduled', undefined],
      ['ReminderDue', 'PT6S'],
      ['ReminderDue', 'PT3S'],
      ['TaskDue', undefined],
      ['TaskOverdue', undefined],
    ]);
    expect(events[1].data.scheduledFor).toBe(new Date(dueAt.getTime() - 6_000).toISOString());
    expectNeverEarly(events);
    // The Web UI finds it by tenant and task; nothing is pending any more.
    const ids: string[] = [];
    for await (const execution of env.client.workflow.list({ query: searchAttributeQuery({ tenantId: T, taskId }) })) ids.push(execution.workflowId);
    expect(ids).toContain(taskTimersWorkflowId({ tenantId: T, taskId }));
    await sleep(2_000);
    expect(fired(await scheduleEvents(taskId))).toHaveLength(4);
    const done = await eventually(
      () => call<schedulingRemindersV1.GetTaskScheduleResponse>('GetTaskSchedule', { taskId }, new Caller(T, OWNER).query()),
      (r) => r.schedule?.overdueFired === true,
      { what: 'the fired schedule in the read model', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect([done.schedule?.pending, done.schedule?.firedReminders.map((f) => f.reminderKey), done.schedule?.dueFired]).toEqual([[], ['PT6S', 'PT3S'], true]);
    // The run ends once nothing is pending; its history replays against the current code (and is kept as a fixture when asked).
    const handle = env.client.workflow.getHandle(taskTimersWorkflowId({ tenantId: T, taskId }));
    await eventually(async () => (await handle.describe()).status.name, (s) => s === 'COMPLETED', { what: 'the run to end', timeoutMs: 30_000, intervalMs: 200 });
    const history = await handle.fetchHistory();
    await replayHistories(SCHEDULING_WORKFLOWS_PATH, [{ workflowId: handle.workflowId, history }], { payloadKeys: env.config.payloadKeys });
    if (process.env['RECORD_WORKFLOW_FIXTURES'] === '1') {
      mkdirSync(FIXTURES, { recursive: true });
      const decrypted = await decryptHistory(history, new AesGcmPayloadCodec(env.config.payloadKeys));
      writeFileSync(join(FIXTURES, `task-timers-${process.env['FIXTURE_LABEL'] ?? 'v1'}.history.json`), historyFixtureJson(handle.workflowId, decrypted));
    }
  }, 90_000);

  it('plans a template’s own offsets, and replans the pending reminders of open tasks when the policy changes', async () => {
    const visit = randomUUID();
    const dueAt = later(30_000);
    await send(visit, 'TaskCreated', taskCreated(T, visit, dueAt, 'site-visit'));
    const [scheduled] = await waitForEvent(visit, (e) => e.type === 'TaskScheduled', 'the schedule');
    expect((scheduled.data as unknown as { reminders: { reminderKey: string }[] }).reminders.map((r) => r.reminderKey)).toEqual(['PT4S']);
    const current = await call<schedulingRemindersV1.GetReminderPolicyResponse>('GetReminderPolicy', {}, new Caller(T, OWNER).query());
    await call('SetReminderPolicy', { policy: { ...current.policy, templateOverrides: [{ templateKey: 'site-visit', offsets: ['PT10S', 'PT5S'] }] } }, new Caller(T, OWNER).command());
    const events = await waitForEvent(visit, (e) => e.type === 'TaskScheduleMoved', 'the replan');
    const moved = events.find((e) => e.type === 'TaskScheduleMoved')!.data as unknown as { reason: string; reminders: { reminderKey: string }[] };
    expect([moved.reason, moved.reminders.map((r) => r.reminderKey)]).toEqual(['policy_changed', ['PT10S', 'PT5S']]);
    // The workflow took the new plan: its pending query shows it.
    const handle = env.client.workflow.getHandle(taskTimersWorkflowId({ tenantId: T, taskId: visit }));
    await eventually(
      async () => (await handle.query(pendingQuery)).pending.map((p) => (p.timer.kind === 'reminder' ? p.timer.reminderKey : p.timer.kind)),
      (keys) => JSON.stringify(keys) === JSON.stringify(['PT10S', 'PT5S', 'due', 'overdue']),
      { what: 'the workflow to read the new plan', timeoutMs: 30_000, intervalMs: 200 },
    );
    await send(visit, 'TaskArchived', { tenantId: T, taskId: visit, by: 'user-ops', at: new Date().toISOString(), from: 'To-Do', to: 'Archived', reason: null });
    await waitForEvent(visit, (e) => e.type === 'TaskScheduleEnded', 'the end of the schedule');
  }, 90_000);

  it('plans by the business calendar the task-engine publishes (a reminder on a non-working day moves to the next working time) and replans when it changes', async () => {
    const C = randomUUID();
    await enrol(C, OWNER, 'Owner');
    const zone = 'Asia/Tokyo';
    const tomorrow = DateTime.now().setZone(zone).plus({ days: 1 }).weekday;
    const publish = async (workingDays: number[], setAt: Date) => {
      const data = { tenantId: C, timezone: zone, workingDays, holidays: [], setBy: OWNER, setAt: setAt.toISOString() };
      await producer.send({
        topic: tasksBusinessCalendarEventsV1.TASKS_BUSINESS_CALENDAR_TOPIC_V1,
        messages: [relayedEvent('task-engine', `business-calendar-${C}`, C, 'BusinessCalendarSet', data)],
      });
      return { timezone: zone, workingDays, holidays: [] } satisfies BusinessCalendar;
    };
    const closedTomorrow = await publish([1, 2, 3, 4, 5, 6, 7].filter((d) => d !== tomorrow), new Date());
    await eventually(
      async () => (await pool.query(`SELECT working_days FROM "${schema}".business_calendars WHERE tenant_id = $1`, [C])).rows[0]?.working_days as number[] | undefined,
      (days) => days?.length === 6,
      { what: 'the calendar kept', timeoutMs: 30_000, intervalMs: 200 },
    );
    const rules = { offsets: ['P2D'], workingHours: { start: '00:00', end: '23:59' }, outsideWorkingTime: 'NEXT_WORKING_TIME' as const, overdueAfter: 'PT0S' };
    await call(
      'SetReminderPolicy',
      {
        policy: {
          ...rules,
          templateOverrides: [],
          outsideWorkingTime: schedulingRemindersV1.OutsideWorkingTime.OUTSIDE_WORKING_TIME_NEXT_WORKING_TIME,
          version: '0',
        },
      },
      new Caller(C, OWNER).command(),
    );
    const taskId = randomUUID();
    const created = { ...taskCreated(C, taskId, later(3 * 86_400_000)) };
    await producer.send({ topic: tasksTaskEventsV1.TASKS_TASK_TOPIC_V1, messages: [taskMessage(C, taskId, 'TaskCreated', created)] });
    const [scheduled] = await waitForEvent(taskId, (e) => e.type === 'TaskScheduled', 'the schedule');
    const planned = (scheduled.data as unknown as { reminders: unknown[] }).reminders;
    const expected = planTimers({ dueAt: created.dueAt, plannedFrom: created.createdAt, rules, calendar: closedTomorrow });
    expect(planned).toEqual(expected.reminders);
    // Two days before falls on tomorrow, a closed day: it fires at the start of the day after, in Tokyo.
    expect(planned).not.toEqual([{ reminderKey: 'P2D', scheduledFor: new Date(Date.parse(created.dueAt) - 2 * 86_400_000).toISOString() }]);
    const setAt = new Date();
    const open = await publish([1, 2, 3, 4, 5, 6, 7], setAt);
    const events = await waitForEvent(taskId, (e) => e.type === 'TaskScheduleMoved', 'the replan after the calendar changed');
    const moved = events.find((e) => e.type === 'TaskScheduleMoved')!.data as unknown as { reason: string; reminders: unknown[] };
    expect([moved.reason, moved.reminders]).toEqual(['policy_changed', planTimers({ dueAt: created.dueAt, plannedFrom: setAt.toISOString(), rules, calendar: open }).reminders]);
  }, 60_000);

  it('moves the pending reminders when the due date moves after the first one fired', async () => {
    const taskId = randomUUID();
    const firstDue = later(10_000);
    await send(taskId, 'TaskCreated', taskCreated(T, taskId, firstDue));
    await waitForEvent(taskId, (e) => e.type === 'ReminderDue', 'the first reminder');
    // While the workflow waits for the second reminder (firstDue - 3 s), the due date moves 10 s later.
    const handle = env.client.workflow.getHandle(taskTimersWorkflowId({ tenantId: T, taskId }));
    await eventually(
      async () => (await handle.query(pendingQuery)).pending.map((p) => p.timer.kind).join(),
      (kinds) => kinds === 'reminder,due,overdue',
      { what: 'the workflow waiting for the second reminder', timeoutMs: 10_000, intervalMs: 100 },
    );
    const newDue = new Date(firstDue.getTime() + 10_000);
    await send(taskId, 'TaskRescheduled', taskRescheduled(T, taskId, newDue, firstDue));
    const events = await waitForEvent(taskId, (e) => e.type === 'TaskOverdue', 'the overdue moment of the new due date');
    expect(events.map((e) => [e.type, e.data.reminderKey ?? null, e.data.dueAt])).toEqual([
      ['TaskScheduled', null, firstDue.toISOString()],
      ['ReminderDue', 'PT6S', firstDue.toISOString()],
      ['TaskScheduleMoved', null, newDue.toISOString()],
      ['ReminderDue', 'PT6S', newDue.toISOString()],
      ['ReminderDue', 'PT3S', newDue.toISOString()],
      ['TaskDue', null, newDue.toISOString()],
      ['TaskOverdue', null, newDue.toISOString()],
    ]);
    expectNeverEarly(events);
  }, 90_000);

  it('continues as new between rounds and still fires every timer once', async () => {
    const taskId = randomUUID();
    const input = { tenantId: T, taskId, maxRoundsPerRun: 2 };
    // Started before its schedule exists (as a long-lived run would be after many rounds): two rounds per run.
    await env.client.workflow.start(taskTimersWorkflow, {
      taskQueue,
      workflowId: taskTimersWorkflowId(input),
      args: [input],
      typedSearchAttributes: buildSearchAttributes({ tenantId: T, taskId }),
    });
    const dueAt = later(8_000);
    await send(taskId, 'TaskCreated', taskCreated(T, taskId, dueAt));
    const events = await waitForEvent(taskId, (e) => e.type === 'TaskOverdue', 'TaskOverdue');
    expect(events.map((e) => e.type)).toEqual(['TaskScheduled', 'ReminderDue', 'ReminderDue', 'TaskDue', 'TaskOverdue']);
    expectNeverEarly(events);
    const runs: string[] = [];
    for await (const execution of env.client.workflow.list({ query: `WorkflowId = '${taskTimersWorkflowId(input)}'` })) runs.push(execution.runId);
    expect(runs.length).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('stops the timers when the task is completed', async () => {
    const taskId = randomUUID();
    const dueAt = later(7_000);
    await send(taskId, 'TaskCreated', taskCreated(T, taskId, dueAt));
    await waitForEvent(taskId, (e) => e.type === 'TaskScheduled', 'the schedule');
    await send(taskId, 'TaskStatusChanged', taskCompleted(T, taskId));
    await waitForEvent(taskId, (e) => e.type === 'TaskScheduleEnded', 'the end of the schedule');
    const handle = env.client.workflow.getHandle(taskTimersWorkflowId({ tenantId: T, taskId }));
    await eventually(async () => (await handle.describe()).status.name, (s) => s === 'COMPLETED', { what: 'the workflow to end', timeoutMs: 30_000, intervalMs: 200 });
    // Past the overdue moment: nothing fired.
    await sleep(Math.max(0, dueAt.getTime() + 3_000 - Date.now()));
    expect((await scheduleEvents(taskId)).map((e) => e.type)).toEqual(['TaskScheduled', 'TaskScheduleEnded']);
  }, 60_000);

  it('fires every reminder once when the worker restarts while its timers are pending (RELIABILITY 8)', async () => {
    const taskId = randomUUID();
    const dueAt = later(14_000);
    await send(taskId, 'TaskCreated', taskCreated(T, taskId, dueAt));
    await waitForEvent(taskId, (e) => e.type === 'TaskScheduled', 'the schedule');
    const handle = env.client.workflow.getHandle(taskTimersWorkflowId({ tenantId: T, taskId }));
    await eventually(async () => (await handle.query(pendingQuery)).pending.length, (n) => n === 4, { what: 'the workflow waiting', timeoutMs: 30_000, intervalMs: 200 });
    // The whole service goes down (worker, consumers, relay) before the first reminder and comes back after it was due.
    await running!.app.close();
    running = undefined;
    await sleep(Math.max(0, dueAt.getTime() - 6_000 + 1_500 - Date.now()));
    await boot();
    const events = await waitForEvent(taskId, (e) => e.type === 'TaskOverdue', 'TaskOverdue after the restart');
    expect(events.map((e) => e.type)).toEqual(['TaskScheduled', 'ReminderDue', 'ReminderDue', 'TaskDue', 'TaskOverdue']);
    expectNeverEarly(events);
  }, 120_000);

  it('rebuilds the read model from the event store into exactly what the live consumer built', async () => {
    const handled = schedulingProjections.flatMap((p) => p.handles);
    const unapplied = async () =>
      (
        await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${schema}".events e WHERE e.type = ANY($1)
             AND NOT EXISTS (SELECT 1 FROM "${schema}".inbox i WHERE i.consumer_group = $2 AND i.event_id = e.event_id::text)`,
          [handled, `${schema}.read-model`],
        )
      ).rows[0]!.n;
    await eventually(unapplied, (n) => n === 0, { what: 'the read-model consumer to apply every stored event', timeoutMs: 60_000, intervalMs: 200 });
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const table of SCHEDULING_READ_MODEL_TABLES) out[table] = (await pool.query(`SELECT t.* FROM "${schema}"."${table}" t ORDER BY t::text`)).rows;
      return out;
    };
    const live = await snapshot();
    expect(live['task_schedules']!.length).toBeGreaterThanOrEqual(6);
    await pool.query(`DELETE FROM "${schema}".task_schedules WHERE task_id = (SELECT min(task_id) FROM "${schema}".task_schedules)`);
    await pool.query(`UPDATE "${schema}".task_schedules SET next_fire_at = now(), version = version + 100`);
    expect(await snapshot()).not.toEqual(live);
    const orm = await createOwnerOrm(schema, SCHEDULING_SERVICE_OPTIONS.entities);
    try {
      const report = await rebuildSchedulingReadModel({ orm, store: running!.app.get<EventStore>(EVENT_STORE), pageSize: 7 });
      expect(report.eventsSkipped).toBe(0);
    } finally {
      await orm.close();
    }
    expect(await snapshot()).toEqual(live);
  }, 90_000);
});
