import { randomBytes, randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { grpcServerContract, tasksTaskEventsV1 } from '@projectflo/contracts';
import { automationMetadata } from '@projectflo/platform/core';
import { bootstrapGrpcService, type RunningService } from '@projectflo/platform/grpc';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { CommandExecutor } from '@projectflo/platform/service';
import { eventually, freePort, TestTopics } from '@projectflo/platform/testing';
import { connectTestEnvironment, searchAttributeQuery, type TemporalTestEnvironment } from '@projectflo/platform/workflow';
import { reminderPolicyDecider, SchedulingStreams, type ReminderPolicy } from '@projectflo/scheduling/domain';
import { SchedulingAppModule } from '../app.module';
import { schedulingConsumerGroups, taskCompleted, taskCreated, taskMessage, taskRescheduled } from '../testing/scheduling.test-support';
import { taskTimersWorkflowId } from './task-timers.starter';
import { pendingQuery } from './task-timers.workflows';

// Boots scheduling in-process against the real Postgres, Kafka and Temporal, isolated by its own
// schema (hence consumer groups), topics and task queue, and feeds it task events the way the
// task-engine's relay does. Offsets are seconds, so every timer really runs on the Temporal server.

const DATABASE_URL = databaseUrlFromEnv();
const run = randomBytes(4).toString('hex');
const schema = `sch_it_${run}`;
const topics = new TestTopics(`${schema}.`);
const taskQueue = `sch-it-${run}`;
const T = randomUUID();
/** Reminders 6 s and 3 s before the due moment; overdue 2 s after it. */
const POLICY: ReminderPolicy = { offsets: ['PT6S', 'PT3S'], templateOverrides: [], workingHours: null, outsideWorkingTime: 'FIRE_ANYWAY', overdueAfter: 'PT2S' };

interface StoredEvent {
  readonly type: string;
  readonly data: Record<string, string>;
}

describe('scheduling task timers (integration)', () => {
  let env: TemporalTestEnvironment;
  let running: RunningService<unknown> | undefined;
  let producer: Producer;
  let pool: Pool;

  const boot = async () => {
    const port = await freePort();
    running = await bootstrapGrpcService({
      ...grpcServerContract('scheduling'),
      appModule: SchedulingAppModule,
      env: { ...process.env, GRPC_PORT: String(port), DB_SCHEMA: schema, KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' },
    });
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
  /** Every firing happened at or after its time, never before. */
  const expectNeverEarly = (events: StoredEvent[]) => {
    for (const e of fired(events)) {
      const at = e.type === 'ReminderDue' ? e.data.scheduledFor : e.type === 'TaskDue' ? e.data.dueAt : undefined;
      if (at !== undefined) expect(Date.parse(e.data.firedAt)).toBeGreaterThanOrEqual(Date.parse(at));
    }
  };
  const later = (ms: number) => new Date(Date.now() + ms);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    env = await connectTestEnvironment();
    pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
    producer = topics.client(`sch-it-${run}`).producer();
    await producer.connect();
    await boot();
    const executor = running!.app.get(CommandExecutor);
    await executor.run(
      reminderPolicyDecider,
      SchedulingStreams.reminderPolicy(T),
      { type: 'SetReminderPolicy', data: { policy: POLICY } },
      { metadata: automationMetadata({ service: 'scheduling-test', tenantId: T, requestId: randomUUID(), now: new Date() }) },
    );
  }, 180_000);

  afterAll(async () => {
    await running?.app.close();
    await producer?.disconnect();
    await topics.delete(schedulingConsumerGroups(schema));
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
    await env?.close();
  }, 60_000);

  it('fires each reminder once and in order, then the due and overdue moments, never early, however often TaskCreated is delivered', async () => {
    const taskId = randomUUID();
    const dueAt = later(9_000);
    const created = taskCreated(T, taskId, dueAt);
    const eventId = randomUUID();
    // Delivered three times (a relay replay): one schedule, one workflow.
    for (let i = 0; i < 3; i++) await send(taskId, 'TaskCreated', created, eventId);
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
  }, 90_000);

  it('moves the pending reminders when the due date moves after the first one fired', async () => {
    const taskId = randomUUID();
    const firstDue = later(10_000);
    await send(taskId, 'TaskCreated', taskCreated(T, taskId, firstDue));
    await waitForEvent(taskId, (e) => e.type === 'ReminderDue', 'the first reminder');
    // While the workflow waits for the second reminder (firstDue - 3 s), the due date moves 10 s later.
    const handle = env.client.workflow.getHandle(taskTimersWorkflowId({ tenantId: T, taskId }));
    expect((await handle.query(pendingQuery)).pending.map((p) => p.timer.kind)).toEqual(['reminder', 'due', 'overdue']);
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
});
