import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Kafka, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { GRPC_CONTRACTS, grpcServerContract, PROTO_ROOT, schedulingTaskScheduleEventsV1, tasksV1 } from '@projectflo/contracts';
import type { EventStore } from '@projectflo/platform/core';
import { listDeadLetters } from '@projectflo/platform/messaging';
import { bootstrapGrpcService, callUnary, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import { createOwnerOrm, databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { EVENT_STORE } from '@projectflo/platform/service';
import { TaskEngineAppModule } from '../app.module';
import { TASK_ENGINE_SERVICE_OPTIONS } from '../task-engine.service-options';
import { taskEngineReadModelProjection } from './read-model.projection';
import { rebuildTaskEngineReadModel, TASK_ENGINE_READ_MODEL_CHECKPOINT, TASK_ENGINE_READ_MODEL_TABLES } from './read-model.rebuild';
import { Caller, relayedEvent, TestTopics, heldReadAll } from '@projectflo/platform/testing';
import {
  crmLeadMessage as leadMessage,
  enrolUser,
  freePort,
  waitFor,
  leadAssigned,
  leadCaptured,
  taskEngineConsumerGroups,
} from '../testing/task-engine.test-support';

const eventually = <T>(what: string, probe: () => Promise<T | undefined>) => waitFor(what, probe, 60_000);

// The task-engine read model rebuilt from the event store of a running instance equals what the
// live consumer built (tasks expanded from a crm lead status, then worked on), after damage and
// while commands keep arriving; and the operator command does the same from a shell.

const OWNER_URL = databaseUrlFromEnv();
const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

const run = randomBytes(4).toString('hex');
const schema = `te_rb_${run}`;
// Topics of its own (KAFKA_TOPIC_PREFIX): nothing a running platform publishes reaches it.
const topics = new TestTopics(`${schema}.`);
const T = randomUUID();
const BOOKED = randomUUID();
const INQUIRY = randomUUID();
const LEAD = randomUUID();
const ASSIGNEE = randomUUID();
// An owner of T, as crm's organization events tell the task-engine (enrolUser in beforeAll).
const caller = new Caller(T, randomUUID());
const command = () => caller.command();

type Snapshot = Record<string, Record<string, unknown>[]>;

function template(key: string, overrides: Partial<tasksV1.TaskTemplate> = {}): Partial<tasksV1.TaskTemplate> {
  return {
    key,
    trigger: { leadStatusId: BOOKED },
    name: `Task ${key}`,
    priority: tasksV1.TaskPriority.TASK_PRIORITY_HIGH,
    dueOffset: { days: 1, hours: 0, businessDays: false, anchor: tasksV1.DueAnchor.DUE_ANCHOR_TRIGGER_TIME, anchorField: '' },
    defaultAssignee: { rule: tasksV1.AssigneeRule.ASSIGNEE_RULE_LEAD_ASSIGNEE },
    effortHours: '1.5',
    ...overrides,
  };
}

/** Runs scripts/rebuild-read-model.ts as an operator would; resolves with its exit code and output. */
function rebuildCommand(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'reflect-metadata', '-r', '@swc-node/register', 'scripts/rebuild-read-model.ts', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json', MIGRATION_DATABASE_URL: OWNER_URL }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('task-engine read-model rebuild (real Postgres, Kafka, Temporal)', () => {
  let running: RunningService<unknown>;
  let client: ReturnType<typeof createGrpcClient>;
  let kafka: Kafka;
  let producer: Producer;
  let pool: Pool;
  let orm: MikroORM;
  let store: EventStore;
  let taskIds: Record<string, string> = {};

  const call = <R>(method: string, request: object, headers: Record<string, string> = command()) => callUnary<R>(client, method, request, headers);
  const s = `"${schema}"`;

  /** Every read-model table in full (an isolated instance projects only its own events), in a total order. */
  const snapshot = async (): Promise<Snapshot> => {
    const out: Snapshot = {};
    for (const table of TASK_ENGINE_READ_MODEL_TABLES) out[table] = (await pool.query(`SELECT t.* FROM ${s}."${table}" t ORDER BY t::text`)).rows;
    return out;
  };

  /** Stored events the read-model consumer has not applied yet (it claims each in the inbox in the applying transaction). */
  const caughtUp = () =>
    eventually('the read-model consumer to apply every stored event', async () => {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${s}.events e WHERE e.type = ANY($1)
           AND NOT EXISTS (SELECT 1 FROM ${s}.inbox i WHERE i.consumer_group = $2 AND i.event_id = e.event_id::text)`,
        [taskEngineReadModelProjection.handles, `${schema}.read-model`],
      );
      return rows[0]!.n === 0 ? true : undefined;
    });

  beforeAll(async () => {
    pool = new Pool({ connectionString: OWNER_URL, max: 2 });
    kafka = topics.client(`te-rb-${run}`);
    producer = kafka.producer();
    await producer.connect();
    running = await bootstrapGrpcService({
      ...grpcServerContract('task-engine'),
      appModule: TaskEngineAppModule,
      env: { ...process.env, GRPC_PORT: String(await freePort()), DB_SCHEMA: schema, KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: `te-rb-${run}`, LOG_LEVEL: 'error' },
    });
    const contract = GRPC_CONTRACTS['task-engine'];
    client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
    orm = await createOwnerOrm(schema, TASK_ENGINE_SERVICE_OPTIONS.entities);
    store = running.app.get<EventStore>(EVENT_STORE);
    await enrolUser(producer, running, T, caller.actorId);
  }, 180_000);

  afterAll(async () => {
    await orm?.close();
    client?.close();
    await running?.app.close();
    await producer?.disconnect();
    await topics.delete(taskEngineConsumerGroups(schema));
    await pool?.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await pool?.end();
  }, 60_000);

  it('expands a lead status into tasks and works on them (the live read model)', async () => {
    await call('DefineEventType', { eventType: 'wedding.booked', name: 'Wedding booked', subjectDateFields: ['event_date'] });
    for (const t of [
      template('prepare-contract', { checklistItems: [{ title: 'Fill in the fee', itemKey: 'fee' }, { title: 'Attach the terms', itemKey: '' }] }),
      template('send-contract', { dependsOn: ['prepare-contract'] }),
      template('shoot-plan'),
    ]) {
      await call('CreateTaskTemplate', { template: t });
    }
    await eventually('the templates in the read model', async () => {
      const { templates } = await call<tasksV1.ListTemplatesByTriggerResponse>('ListTemplatesByTrigger', { trigger: { leadStatusId: BOOKED } }, caller.query());
      return templates.length === 3 ? true : undefined;
    });
    await producer.send({
      topic: 'crm.lead.v1',
      messages: [
        leadMessage(T, LEAD, 1, 'LeadCaptured', leadCaptured(LEAD, INQUIRY)),
        leadMessage(T, LEAD, 2, 'LeadAssigned', leadAssigned(LEAD, ASSIGNEE)),
        leadMessage(T, LEAD, 3, 'LeadStatusChanged', {
          leadId: LEAD,
          fromStatusId: INQUIRY,
          toStatusId: BOOKED,
          reason: 'signed',
          changedAt: '2026-11-20T10:00:00Z',
          changedBy: 'user-crm',
        }),
      ],
    });
    const tasks = await eventually('the three tasks of the lead', async () => {
      const found = (await call<tasksV1.ListTasksResponse>('ListTasks', { statuses: [], leadId: LEAD }, caller.query())).tasks;
      return found.length === 3 ? found : undefined;
    });
    taskIds = Object.fromEntries(tasks.map((t) => [t.name.replace('Task ', ''), t.taskId]));

    const blocker = taskIds['prepare-contract']!;
    await call('StartTask', { taskId: blocker });
    await call('CompleteChecklistItem', { taskId: blocker, itemId: 'fee' });
    await call('AddTaskComment', { taskId: blocker, body: 'fee agreed', visibility: tasksV1.CommentVisibility.COMMENT_VISIBILITY_INTERNAL });
    await call('ChangeTaskStatus', { taskId: blocker, toStatus: tasksV1.TaskStatus.TASK_STATUS_COMPLETED, reason: 'sent' });
    await eventually('the dependent to become Ready to Start', async () => {
      const { task } = await call<tasksV1.GetTaskResponse>('GetTask', { taskId: taskIds['send-contract'] }, caller.query());
      return task?.status === tasksV1.TaskStatus.TASK_STATUS_READY_TO_START ? true : undefined;
    });
    await caughtUp();
  });

  it('flags a task overdue from scheduling’s TaskOverdue for its current due date, ignoring stale and closed ones', async () => {
    const { tasks } = await call<tasksV1.ListTasksResponse>('ListTasks', { statuses: [], leadId: LEAD }, caller.query());
    const dueOf = (name: string) => new Date(Number(tasks.find((t) => t.taskId === taskIds[name])!.dueAt!.seconds) * 1000).toISOString();
    const moved = taskIds['send-contract']!;
    const staleDueAt = dueOf('send-contract');
    await call('RescheduleTask', { taskId: moved, dueAt: { seconds: String(Date.parse('2030-01-01T09:00:00Z') / 1000), nanos: 0 } });
    const overdue = (name: string, dueAt: string) =>
      relayedEvent('scheduling', `task-schedule-${taskIds[name]}`, T, 'TaskOverdue', { tenantId: T, taskId: taskIds[name], dueAt, firedAt: new Date().toISOString() });
    const messages = [overdue('shoot-plan', dueOf('shoot-plan')), overdue('send-contract', staleDueAt), overdue('prepare-contract', dueOf('prepare-contract'))];
    // An alert for a task the tenant does not have can never be handled: dead-lettered, not retried forever.
    const unknownTask = randomUUID();
    const unknown = relayedEvent('scheduling', `task-schedule-${unknownTask}`, T, 'TaskOverdue', { tenantId: T, taskId: unknownTask, dueAt: '2026-11-20T10:00:00.000Z', firedAt: new Date().toISOString() });
    await producer.send({ topic: schedulingTaskScheduleEventsV1.SCHEDULING_TASK_SCHEDULE_TOPIC_V1, messages: [...messages, messages[0]!, unknown] });
    await eventually('the overdue consumer to take all three alerts', async () => {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.inbox WHERE consumer_group = $1`, [`${schema}.overdue`]);
      return rows[0]!.n === 3 ? true : undefined;
    });
    const [deadLetter] = await eventually('the unknown task’s alert dead-lettered', async () => {
      const letters = await listDeadLetters(kafka, `${schema}.overdue.dlq`);
      return letters.length > 0 ? letters : undefined;
    });
    expect([deadLetter!.reason, deadLetter!.value?.toString().includes(unknownTask)]).toEqual([`rejected-command: MarkTaskOverdue on task ${unknownTask} was rejected: task ${unknownTask} was not found`, true]);
    await caughtUp();
    const flagged = await call<tasksV1.ListTasksResponse>('ListTasks', { statuses: [], leadId: LEAD, overdueOnly: true }, caller.query());
    expect(flagged.tasks.map((t) => [t.taskId, t.overdue])).toEqual([[taskIds['shoot-plan'], true]]);
    const all = await call<tasksV1.ListTasksResponse>('ListTasks', { statuses: [], leadId: LEAD }, caller.query());
    expect(all.tasks.filter((t) => t.overdue).map((t) => t.taskId)).toEqual([taskIds['shoot-plan']]);
    const marked = (await store.readStream(`task-${taskIds['shoot-plan']}`)).events.filter((e) => e.type === 'TaskMarkedOverdue');
    expect(marked).toHaveLength(1);
    expect(marked[0]!.metadata).toMatchObject({ actorId: 'system:task-engine', actorKind: 'service' });
  });

  it('puts back deleted and altered rows, exactly as the live consumer built them', async () => {
    const live = await snapshot();
    expect(Object.fromEntries(Object.entries(live).map(([t, rows]) => [t, rows.length]))).toEqual({
      event_types: 1,
      task_templates: 3,
      task_template_versions: 3,
      tasks: 3,
      // 3 created; the blocker started and completed; the dependent became ready.
      task_transitions: 6,
      task_dependencies: 1,
      task_comments: 1,
    });

    await pool.query(`DELETE FROM ${s}.task_comments`);
    await pool.query(`DELETE FROM ${s}.task_transitions WHERE task_id = $1`, [taskIds['prepare-contract']]);
    await pool.query(`UPDATE ${s}.tasks SET status = 'ARCHIVED', version = version + 100 WHERE task_id = $1`, [taskIds['shoot-plan']]);
    await pool.query(`UPDATE ${s}.tasks SET state = jsonb_set(state, '{checklist}', '[]'::jsonb)`);
    await pool.query(`DELETE FROM ${s}.event_types`);
    await pool.query(`UPDATE ${s}.tasks SET overdue = false, state = state || '{"overdue": false}'::jsonb`);
    expect(await snapshot()).not.toEqual(live);

    const report = await rebuildTaskEngineReadModel({ orm, store, pageSize: 5 });

    expect(await snapshot()).toEqual(live);
    const overdue = await call<tasksV1.ListTasksResponse>('ListTasks', { statuses: [], overdueOnly: true }, caller.query());
    expect(overdue.tasks.map((t) => t.taskId)).toEqual([taskIds['shoot-plan']]);
    const all = await store.readAll({ limit: 10_000 });
    expect(report.eventsRead).toBe(all.length);
    expect(report.eventsApplied).toBe(all.filter((e) => taskEngineReadModelProjection.handles.includes(e.type)).length);
    expect(report.lastPosition).toEqual(all[all.length - 1]!.globalPosition);
    expect(report.rows).toEqual(Object.fromEntries(Object.entries(live).map(([t, rows]) => [t, rows.length])));
    const { rows: checkpoint } = await pool.query(`SELECT commit::text AS commit, prepare::text AS prepare FROM ${s}.projection_checkpoints WHERE name = $1`, [
      TASK_ENGINE_READ_MODEL_CHECKPOINT,
    ]);
    expect(checkpoint).toEqual([report.lastPosition]);
  });

  it('loses and doubles nothing when commands land while it runs', async () => {
    const before = await snapshot();
    const taskId = taskIds['shoot-plan']!;
    const comments = Array.from({ length: 6 }, (_, i) => `comment ${i}`);
    const comment = (body: string) => call('AddTaskComment', { taskId, body, visibility: tasksV1.CommentVisibility.COMMENT_VISIBILITY_INTERNAL });
    // Appended before the rebuild: in the store, maybe not yet applied by the consumer.
    await Promise.all(comments.slice(0, 3).map(comment));
    const stored = (await store.readAll({ limit: 10_000 })).length;

    // Hold the rebuild before its first read (its shadow tables made, no transaction open) while more commands append.
    const held = heldReadAll(store);
    const rebuilding = rebuildTaskEngineReadModel({ orm, store: held.store });
    await held.entered;
    await Promise.all(comments.slice(3).map(comment));
    // The paused rebuild holds no transaction: the global log (and so every relay) is not held back.
    await eventually('the late appends readable while the rebuild is paused', async () =>
      (await store.readAll({ limit: 10_000 })).length === stored + comments.length - 3 ? true : undefined,
    );
    held.release();
    const report = await rebuilding;
    // No transaction spans the replay, so it reads the late appends as they become visible; any it
    // does not see yet, the consumer brings after the swap.
    expect(report.eventsRead).toBeGreaterThanOrEqual(stored);
    expect(report.eventsRead).toBeLessThanOrEqual(stored + comments.length - 3);
    await caughtUp();

    const live = await snapshot();
    expect(live['task_comments']!.filter((c) => c['task_id'] === taskId).map((c) => c['body']).sort()).toEqual(comments);
    expect(live['task_comments']).toHaveLength(before['task_comments']!.length + comments.length);
    const version = (rows: Snapshot) => rows['tasks']!.find((t) => t['task_id'] === taskId)!['version'];
    expect(version(live)).toBe(Number(version(before)) + comments.length);

    await rebuildTaskEngineReadModel({ orm, store });
    expect(await snapshot()).toEqual(live);
  });

  it('does the same from the command line, and refuses what it cannot rebuild', async () => {
    const live = await snapshot();
    await pool.query(`DELETE FROM ${s}.tasks WHERE task_id = $1`, [taskIds['send-contract']]);
    const events = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.events`)).rows[0]!.n;

    const rebuilt = await rebuildCommand('task-engine', '--schema', schema);
    expect(rebuilt).toMatchObject({ code: 0, stderr: '' });
    expect(rebuilt.stdout).toContain(`events read: ${events}\n`);
    for (const [table, rows] of Object.entries(live)) expect(rebuilt.stdout).toContain(`rows ${table}: ${rows.length}\n`);
    expect(rebuilt.stdout).toMatch(/^last position: commit=\d+ prepare=\d+$/m);
    expect(await snapshot()).toEqual(live);

    const unknownSchema = await rebuildCommand('task-engine', '--schema', `${schema}_nope`);
    expect(unknownSchema.code).toBe(2);
    expect(unknownSchema.stderr).toContain(`schema ${schema}_nope holds no task-engine event store and read model`);
    const unknownService = await rebuildCommand('billing');
    expect(unknownService.code).toBe(2);
    expect(unknownService.stderr).toContain('unknown service "billing"');
  }, 120_000);
});
