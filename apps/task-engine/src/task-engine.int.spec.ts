import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import type { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { GRPC_CONTRACTS, grpcServerContract, PROTO_ROOT, tasksV1 } from '@projectflo/contracts';
import { bootstrapGrpcService, callUnary, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import { AesGcmPayloadCodec, connectTestEnvironment, decryptHistory, replayHistories, SearchAttributes, searchAttributeQuery, type TemporalTestEnvironment, workflowId } from '@projectflo/platform/workflow';
import { ensureTopics, withAdmin } from '@projectflo/platform/messaging';
import { inboundActor } from './external-events/inbound-external-events.consumer';
import { externalEventId, externalEventsInboundTopic, plannedTaskId, taskTemplateId, type TemplateTrigger } from '@projectflo/task-engine/domain';
import { TaskEngineAppModule } from './app.module';
import type { ExpansionSummary } from './automation/expansion.types';
import { progressQuery } from './automation/expansion.workflows';
import { historyFixtureJson } from './automation/workflow-history.fixtures';
import { EXPANSION_WORKFLOWS_PATH } from './task-engine.service-options';
import { Caller, TestTopics, failedCall } from '@projectflo/platform/testing';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';
import {
  crmLeadMessage,
  crmOrganizationMessage,
  enrolUser,
  freePort,
  waitFor as eventually,
  leadAssigned,
  leadCaptured,
  taskEngineConsumerGroups,
  waitForMember,
} from './testing/task-engine.test-support';

// Boots the task-engine in-process against the real Postgres, Kafka and Temporal, isolated by its
// own schema (hence consumer groups) and task queue, and drives it the way crm and clients do.

const DATABASE_URL = databaseUrlFromEnv();
// The fixture of the current workflow code (the one before the create-tasks-together patch stays beside it).
const FIXTURE = join(__dirname, 'automation', '__fixtures__', 'lead-status-expansion-v3-local-activities.history.json');

const run = randomBytes(4).toString('hex');
const schema = `te_it_${run}`;
// Topics of its own (KAFKA_TOPIC_PREFIX): nothing a running platform publishes reaches it.
const topics = new TestTopics(`${schema}.`);
const taskQueue = `te-it-${run}`;
const T = randomUUID();
// Per-tenant streams (`event-types-<tenantId>`, a UUID with dashes) must still reach their topics.
const B = randomUUID();
// An owner of both tenants, as crm's organization events tell the task-engine (enrolUser).
const USER = randomUUID();
const caller = (tenant: string) => new Caller(tenant, USER).query();
const command = (tenant: string) => new Caller(tenant, USER).command();

const BOOKED = randomUUID();
const INQUIRY = randomUUID();
const ASSIGNEE = randomUUID();
const LEAD_1 = randomUUID();
const LEAD_2 = randomUUID();
const TRIGGER: TemplateTrigger = { kind: 'lead_status', statusId: BOOKED };


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

/** Reads a topic from the beginning with a throwaway group until a message matches. */
async function readUntil(kafka: Kafka, topic: string, match: (message: KafkaMessage) => boolean, timeoutMs = 45_000): Promise<KafkaMessage> {
  const consumer = kafka.consumer({ groupId: `te-it-reader-${randomUUID()}` });
  await consumer.connect();
  try {
    let found: KafkaMessage | undefined;
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (match(message)) found ??= message;
      },
    });
    return await eventually(`a matching message on ${topic}`, async () => found, timeoutMs);
  } finally {
    await consumer.disconnect();
  }
}

describe('task-engine service (integration)', () => {
  let env: TemporalTestEnvironment;
  let running: RunningService<unknown>;
  let client: ReturnType<typeof createGrpcClient>;
  let kafka: Kafka;
  let producer: Producer;
  let pool: Pool;
  let dlqTopic: string;
  const templateIds: Record<string, string> = {};
  let statusChange1: { eventId: string; message: ReturnType<typeof crmLeadMessage> };
  const captured1 = randomUUID();
  /** Lead 1's expansions: its capture (into a status without templates) and its move to BOOKED. */
  let lead1Workflows: string[];
  const workflowsOf = async (query: string) => {
    const ids: string[] = [];
    for await (const execution of env.client.workflow.list({ query })) ids.push(execution.workflowId);
    return ids.sort();
  };

  const call = <R>(method: string, request: object, headers: Record<string, string>) => callUnary<R>(client, method, request, headers);
  const tasksOf = async (tenant: string, filter: object) =>
    (await call<tasksV1.ListTasksResponse>('ListTasks', { statuses: [], ...filter }, caller(tenant))).tasks;
  const eventCount = async () =>
    Number((await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".events WHERE tenant_id = ANY($1)`, [[T, B]])).rows[0]!.n);

  beforeAll(async () => {
    env = await connectTestEnvironment();
    pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
    kafka = topics.client(`te-it-${run}`);
    producer = kafka.producer();
    await producer.connect();
    // Tenant T's inbound topic, as scripts/kafka-inbound-tenant.ts provisions it.
    await withAdmin(kafka, (admin) => ensureTopics(admin, [externalEventsInboundTopic(T)]));
    const port = await freePort();
    running = await bootstrapGrpcService({
      ...grpcServerContract('task-engine'),
      appModule: TaskEngineAppModule,
      env: { ...process.env, GRPC_PORT: String(port), DB_SCHEMA: schema, KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' },
    });
    dlqTopic = `${schema}.inbound-external-events.dlq`;
    const contract = GRPC_CONTRACTS['task-engine'];
    client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
    for (const tenant of [T, B]) await enrolUser(producer, running, tenant, USER);
  }, 180_000);

  afterAll(async () => {
    client?.close();
    await running?.app.close();
    await producer?.disconnect();
    await topics.delete(taskEngineConsumerGroups(schema));
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
    await env?.close();
  }, 60_000);

  it('defines a template set for a lead status (dependency, checklist, child)', async () => {
    const created = [
      template('prepare-contract', {
        name: 'Prepare the contract',
        dueOffset: { days: 2, hours: 0, businessDays: true, anchor: tasksV1.DueAnchor.DUE_ANCHOR_TRIGGER_TIME, anchorField: '' },
        checklistItems: [{ title: 'Fill in the fee', itemKey: 'fee' }, { title: 'Attach the terms', itemKey: '' }],
      }),
      template('send-contract', {
        name: 'Send the contract',
        dependsOn: ['prepare-contract'],
        dueOffset: { days: -14, hours: 9, businessDays: false, anchor: tasksV1.DueAnchor.DUE_ANCHOR_SUBJECT_DATE, anchorField: 'event_date' },
      }),
      template('shoot-plan', { name: 'Plan the shoot', dueOffset: { days: 7, hours: 0, businessDays: false, anchor: tasksV1.DueAnchor.DUE_ANCHOR_TRIGGER_TIME, anchorField: '' } }),
      template('shot-list', {
        name: 'Write the shot list',
        parentKey: 'shoot-plan',
        defaultAssignee: { userId: 'user-x' },
        dueOffset: { days: 5, hours: 0, businessDays: false, anchor: tasksV1.DueAnchor.DUE_ANCHOR_TRIGGER_TIME, anchorField: '' },
      }),
    ];
    for (const t of created) {
      const response = await call<tasksV1.CreateTaskTemplateResponse>('CreateTaskTemplate', { template: t }, command(T));
      expect(response.template?.templateId).toBe(taskTemplateId(T, TRIGGER, t.key!));
      expect(response.template?.revision).toBe(1);
      templateIds[t.key!] = response.template!.templateId;
    }
    const listed = await eventually('templates in the read model', async () => {
      const { templates } = await call<tasksV1.ListTemplatesByTriggerResponse>('ListTemplatesByTrigger', { trigger: { leadStatusId: BOOKED } }, caller(T));
      return templates.length === 4 ? templates : undefined;
    });
    expect(listed.map((t) => t.key)).toEqual(['prepare-contract', 'send-contract', 'shoot-plan', 'shot-list']);
    expect(listed[0]!.checklistItems).toEqual([
      { title: 'Fill in the fee', itemKey: 'fee' },
      { title: 'Attach the terms', itemKey: 'item-2' },
    ]);
    expect(listed[1]!.dueOffset).toMatchObject({ days: -14, hours: 9, anchorField: 'event_date' });
  });

  it('expands a crm LeadStatusChanged into exactly the planned tasks, findable by tenant and lead', async () => {
    await producer.send({
      topic: 'crm.lead.v1',
      messages: [
        crmLeadMessage(T, LEAD_1, 1, 'LeadCaptured', leadCaptured(LEAD_1, INQUIRY), captured1),
        crmLeadMessage(T, LEAD_1, 2, 'LeadAssigned', leadAssigned(LEAD_1, ASSIGNEE)),
      ],
    });
    const eventId = randomUUID();
    statusChange1 = {
      eventId,
      message: crmLeadMessage(
        T,
        LEAD_1,
        3,
        'LeadStatusChanged',
        { leadId: LEAD_1, fromStatusId: INQUIRY, toStatusId: BOOKED, reason: 'signed', changedAt: '2026-11-20T10:00:00Z', changedBy: 'user-crm' },
        eventId,
      ),
    };
    await producer.send({ topic: 'crm.lead.v1', messages: [statusChange1.message] });

    const id = (key: string) => plannedTaskId(T, eventId, templateIds[key]!);
    const tasks = await eventually('the four tasks of lead 1', async () => {
      const found = await tasksOf(T, { leadId: LEAD_1 });
      return found.length >= 4 ? found : undefined;
    });
    const byName = Object.fromEntries(tasks.map((t) => [t.name, t]));
    expect(tasks.map((t) => t.name).sort()).toEqual(['Plan the shoot', 'Prepare the contract', 'Send the contract', 'Write the shot list']);
    expect(byName['Prepare the contract']).toMatchObject({
      taskId: id('prepare-contract'),
      status: tasksV1.TaskStatus.TASK_STATUS_READY_TO_START,
      assigneeIds: [ASSIGNEE],
      dueAt: { seconds: String(Date.parse('2026-11-24T10:00:00Z') / 1000), nanos: 0 },
      plannedHours: '1.50',
      templateRevision: 1,
      leadId: LEAD_1,
      triggerEventId: eventId,
    });
    expect(byName['Prepare the contract']!.checklistItems.map((c) => [c.itemId, c.completed])).toEqual([
      ['fee', false],
      ['item-2', false],
    ]);
    expect(byName['Send the contract']).toMatchObject({
      taskId: id('send-contract'),
      status: tasksV1.TaskStatus.TASK_STATUS_TODO,
      blockedByTaskIds: [id('prepare-contract')],
      openBlockerTaskIds: [id('prepare-contract')],
      dueAt: { seconds: String(Date.parse('2027-03-06T09:00:00Z') / 1000), nanos: 0 },
    });
    expect(byName['Plan the shoot']).toMatchObject({ status: tasksV1.TaskStatus.TASK_STATUS_READY_TO_START, parentTaskId: '' });
    expect(byName['Write the shot list']).toMatchObject({
      parentTaskId: id('shoot-plan'),
      assigneeIds: ['user-x'],
      dueAt: { seconds: String(Date.parse('2026-11-25T10:00:00Z') / 1000), nanos: 0 },
    });

    const expectedId = workflowId('tasks', T, 'lead-status', LEAD_1, eventId);
    // The capture (into a status without templates) starts no workflow: only the status change does.
    lead1Workflows = [expectedId];
    const found = await eventually('the expansion of lead 1 in visibility', async () => {
      const ids = await workflowsOf(searchAttributeQuery({ tenantId: T, leadId: LEAD_1 }));
      return ids.length >= 1 ? ids : undefined;
    });
    expect(found).toEqual(lead1Workflows);
    expect(await workflowsOf(searchAttributeQuery({ tenantId: T, leadId: LEAD_1, templateCount: 4 }))).toEqual([expectedId]);
    const handle = env.client.workflow.getHandle(expectedId);
    const summary: ExpansionSummary = await handle.result();
    expect(summary).toMatchObject({ outcome: 'completed', templateCount: 4, created: 4, alreadyExisted: 0 });
    expect(await handle.query(progressQuery)).toEqual({ phase: 'completed', planned: 4, created: 4, alreadyExisted: 0 });
    const description = await handle.describe();
    expect(await description.staticSummary()).toBe(`Expand templates for lead status ${BOOKED} on lead ${LEAD_1}`);
    expect(description.typedSearchAttributes.get(SearchAttributes.TriggerType)).toBe('lead_status');
    // The outcome by trigger event id, read from the trigger's own stream: the tasks in plan order, as the workflow's result.
    const { outcome } = await call<tasksV1.GetExpansionOutcomeResponse>('GetExpansionOutcome', { triggerEventId: eventId }, caller(T));
    expect(outcome).toMatchObject({
      outcome: tasksV1.ExpansionOutcomeKind.EXPANSION_OUTCOME_KIND_COMPLETED,
      subjectId: LEAD_1,
      leadStatusId: BOOKED,
      eventType: '',
      templateCount: 4,
      created: 4,
      alreadyExisted: 0,
      message: summary.message,
    });
    expect(outcome!.taskIds).toEqual(summary.taskIds);
    expect((await failedCall(call('GetExpansionOutcome', { triggerEventId: eventId }, caller(B)))).code).toBe(status.NOT_FOUND);
    expect((await failedCall(call('GetExpansionOutcome', { triggerEventId: 'has space' }, caller(T)))).code).toBe(status.INVALID_ARGUMENT);

    // RELIABILITY 10: the history of a finished expansion replays against the current code.
    const history = await handle.fetchHistory();
    await replayHistories(EXPANSION_WORKFLOWS_PATH, [{ workflowId: expectedId, history }], { payloadKeys: env.config.payloadKeys });
    // A fixture is recorded decrypted, so it replays on machines without this machine's payload key.
    if (process.env['RECORD_WORKFLOW_FIXTURES'] === '1') {
      writeFileSync(FIXTURE, historyFixtureJson(expectedId, await decryptHistory(history, new AesGcmPayloadCodec(env.config.payloadKeys))));
    }
  });

  it('creates nothing new when the same crm message is delivered again', async () => {
    const before = await tasksOf(T, { leadId: LEAD_1 });
    const eventsBefore = await eventCount();
    await producer.send({ topic: 'crm.lead.v1', messages: [statusChange1.message] });
    // A later event of the same lead (same partition) marks the point the duplicate has been handled by.
    await producer.send({
      topic: 'crm.lead.v1',
      messages: [crmLeadMessage(T, LEAD_1, 4, 'LeadAssigned', {
        leadId: LEAD_1, assigneeId: ASSIGNEE, previousAssigneeId: ASSIGNEE, reason: 'confirm', assignedAt: '2026-11-20T11:00:00Z', assignedBy: 'user-crm',
      })],
    });
    await eventually('the lead-automation group past the duplicate', async () => {
      const { rows } = await pool.query(`SELECT 1 FROM "${schema}".subjects WHERE tenant_id = $1 AND subject_id = $2 AND updated_at = $3`, [
        T,
        LEAD_1,
        '2026-11-20T11:00:00Z',
      ]);
      return rows.length === 1 ? true : undefined;
    });
    const after = await tasksOf(T, { leadId: LEAD_1 });
    expect(after.map((t) => [t.taskId, t.version])).toEqual(before.map((t) => [t.taskId, t.version]));
    expect(await eventCount()).toBe(eventsBefore);
    expect(await workflowsOf(searchAttributeQuery({ tenantId: T, leadId: LEAD_1 }))).toEqual(lead1Workflows);
  });

  it('rejects malformed, oversized and cross-tenant requests without writing anything', async () => {
    const [task] = await tasksOf(T, { leadId: LEAD_1 });
    const eventsBefore = await eventCount();
    const invalid = async (method: string, request: object, field: string, tenant = T) => {
      const error = await failedCall(call(method, request, command(tenant)));
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(error.details).toContain(field);
    };
    await invalid('CreateTaskTemplate', { template: template('empty-name', { name: '  ' }) }, 'template.name');
    await invalid(
      'CreateTaskTemplate',
      { template: template('negative', { dueOffset: { days: -3, hours: 0, businessDays: false, anchor: tasksV1.DueAnchor.DUE_ANCHOR_TRIGGER_TIME, anchorField: '' } }) },
      'template.due_offset.direction',
    );
    await invalid(
      'CreateTaskTemplate',
      { template: template('negative-hours', { dueOffset: { days: 1, hours: -2, businessDays: false, anchor: tasksV1.DueAnchor.DUE_ANCHOR_TRIGGER_TIME, anchorField: '' } }) },
      'template.due_offset.hours',
    );
    await invalid('CreateTaskTemplate', { template: template('Bad Key') }, 'template.key');
    await invalid('ChangeTaskStatus', { taskId: task!.taskId, toStatus: tasksV1.TaskStatus.TASK_STATUS_UNSPECIFIED }, 'to_status');
    await invalid('ChangeTaskStatus', { taskId: 'not-a-uuid', toStatus: tasksV1.TaskStatus.TASK_STATUS_COMPLETED }, 'task_id');
    await invalid('DefineEventType', { eventType: 'Not A Key', name: 'x' }, 'event_type');
    await invalid(
      'IngestExternalEvent',
      { eventType: 'wedding.booked', subjectId: 's', idempotencyKey: 'k', payloadJson: JSON.stringify({ blob: 'x'.repeat(70_000) }), occurredAt: { seconds: '1790000000', nanos: 0 } },
      'payload_json',
    );
    await invalid('IngestExternalEvent', { eventType: 'wedding.booked', subjectId: 's', idempotencyKey: '', payloadJson: '{}', occurredAt: null }, 'idempotency_key');
    // U+0000 (which Postgres cannot store), raw or as a JSON escape, anywhere in a string.
    await invalid(
      'IngestExternalEvent',
      { eventType: 'wedding.booked', subjectId: 's', idempotencyKey: 'k-nul', payloadJson: '{"note":"a\\u0000b"}', occurredAt: { seconds: '1790000000', nanos: 0 } },
      'payload_json: strings must not contain the character U+0000 (NUL)',
    );
    await invalid('AddTaskComment', { taskId: task!.taskId, body: 'fee\u0000agreed' }, 'body: must not contain the character U+0000 (NUL)');
    await invalid('CreateTaskTemplate', { template: template('nul-key', { metadata: { 'a\u0000b': 'x' } }) }, 'template.metadata: keys must not contain');

    const unknownType = await failedCall(
      call('IngestExternalEvent', { eventType: 'never.defined', subjectId: 's', idempotencyKey: 'k-1', payloadJson: '{}', occurredAt: { seconds: '1790000000', nanos: 0 } }, command(T)),
    );
    expect(unknownType.code).toBe(status.NOT_FOUND);

    // Tenant B asking for (or acting on) tenant A's task sees nothing.
    expect((await failedCall(call('GetTask', { taskId: task!.taskId }, caller(B)))).code).toBe(status.NOT_FOUND);
    expect((await failedCall(call('GetTaskHistory', { taskId: task!.taskId }, caller(B)))).code).toBe(status.NOT_FOUND);
    expect((await failedCall(call('ChangeTaskStatus', { taskId: task!.taskId, toStatus: tasksV1.TaskStatus.TASK_STATUS_IN_PROGRESS }, command(B)))).code).toBe(
      status.NOT_FOUND,
    );
    expect((await failedCall(call('AddTaskComment', { taskId: task!.taskId, body: 'hi' }, command(B)))).code).toBe(status.NOT_FOUND);
    expect((await failedCall(call('GetTaskTemplateHistory', { templateId: templateIds['prepare-contract'] }, caller(B)))).code).toBe(status.NOT_FOUND);
    expect(await tasksOf(B, {})).toEqual([]);
    expect((await call<tasksV1.ListTemplatesByTriggerResponse>('ListTemplatesByTrigger', { trigger: { leadStatusId: BOOKED } }, caller(B))).templates).toEqual([]);

    expect(await eventCount()).toBe(eventsBefore);
  });

  it('makes the dependent Ready to Start once its blocker is completed', async () => {
    const tasks = await tasksOf(T, { leadId: LEAD_1 });
    const blocker = tasks.find((t) => t.name === 'Prepare the contract')!;
    const dependent = tasks.find((t) => t.name === 'Send the contract')!;
    const started = await call<tasksV1.StartTaskResponse>('StartTask', { taskId: blocker.taskId, expectedVersion: blocker.version }, command(T));
    expect(started.task?.status).toBe(tasksV1.TaskStatus.TASK_STATUS_IN_PROGRESS);
    // Starting a task already in progress is no transition: FAILED_PRECONDITION, not a silent OK.
    expect((await failedCall(call('StartTask', { taskId: blocker.taskId }, command(T)))).code).toBe(status.FAILED_PRECONDITION);
    // A due date past 9999-12-31 never reaches the event store (nor the read model that cannot store it).
    const farFuture = await failedCall(call('RescheduleTask', { taskId: blocker.taskId, dueAt: { seconds: '300000000000', nanos: 0 } }, command(T)));
    expect(farFuture.code).toBe(status.INVALID_ARGUMENT);
    expect(farFuture.details).toContain('due_at.seconds');
    const impossibleDay = await failedCall(call('LogTaskHours', { taskId: blocker.taskId, hours: '1', workedOn: '2024-02-30' }, command(T)));
    expect(impossibleDay.code).toBe(status.INVALID_ARGUMENT);
    expect(impossibleDay.details).toContain('worked_on');
    const stale = await failedCall(
      call('ChangeTaskStatus', { taskId: blocker.taskId, toStatus: tasksV1.TaskStatus.TASK_STATUS_COMPLETED, expectedVersion: blocker.version }, command(T)),
    );
    expect(stale.code).toBe(status.ABORTED);
    const checked = await call<tasksV1.CompleteChecklistItemResponse>('CompleteChecklistItem', { taskId: blocker.taskId, itemId: 'fee' }, command(T));
    expect(checked.task?.checklistItems.map((c) => c.completed)).toEqual([true, false]);
    const done = await call<tasksV1.ChangeTaskStatusResponse>(
      'ChangeTaskStatus',
      { taskId: blocker.taskId, toStatus: tasksV1.TaskStatus.TASK_STATUS_COMPLETED, reason: 'sent to client', expectedVersion: checked.task!.version },
      command(T),
    );
    expect(done.task?.status).toBe(tasksV1.TaskStatus.TASK_STATUS_COMPLETED);

    const ready = await eventually('the dependent to become ready', async () => {
      const { task } = await call<tasksV1.GetTaskResponse>('GetTask', { taskId: dependent.taskId }, caller(T));
      return task?.status === tasksV1.TaskStatus.TASK_STATUS_READY_TO_START ? task : undefined;
    });
    expect(ready.openBlockerTaskIds).toEqual([]);
    const blockerView = await eventually('the blocker read model', async () => {
      const view = await call<tasksV1.GetTaskResponse>('GetTask', { taskId: blocker.taskId }, caller(T));
      return view.task?.status === tasksV1.TaskStatus.TASK_STATUS_COMPLETED ? view : undefined;
    });
    expect(blockerView.blocksTaskIds).toEqual([dependent.taskId]);
    expect(blockerView.transitions.map((t) => [t.fromStatus, t.toStatus])).toEqual([
      [tasksV1.TaskStatus.TASK_STATUS_UNSPECIFIED, tasksV1.TaskStatus.TASK_STATUS_READY_TO_START],
      [tasksV1.TaskStatus.TASK_STATUS_READY_TO_START, tasksV1.TaskStatus.TASK_STATUS_IN_PROGRESS],
      [tasksV1.TaskStatus.TASK_STATUS_IN_PROGRESS, tasksV1.TaskStatus.TASK_STATUS_COMPLETED],
    ]);
    expect(JSON.parse(blockerView.transitions[2]!.dataJson)).toEqual({ reason: 'sent to client' });
    expect(blockerView.task?.checklistItems.find((c) => c.itemId === 'fee')?.completed).toBe(true);
  });

  it('refuses to complete a parent while one of its subtasks is open', async () => {
    const tasks = await tasksOf(T, { leadId: LEAD_1 });
    const parent = tasks.find((t) => t.name === 'Plan the shoot')!;
    const started = await call<tasksV1.StartTaskResponse>('StartTask', { taskId: parent.taskId, expectedVersion: parent.version }, command(T));
    const refused = await failedCall(
      call('ChangeTaskStatus', { taskId: parent.taskId, toStatus: tasksV1.TaskStatus.TASK_STATUS_COMPLETED, expectedVersion: started.task!.version }, command(T)),
    );
    expect(refused.code).toBe(status.FAILED_PRECONDITION);
    expect(refused.details).toContain('1 subtasks are still open');
  });

  it('expands an external event once per idempotency key, from gRPC and from the inbound topic', async () => {
    await call('DefineEventType', { eventType: 'wedding.booked', name: 'Wedding booked', subjectDateFields: ['event_date'] }, command(T));
    await call(
      'CreateTaskTemplate',
      {
        template: template('deliver-gallery', {
          trigger: { eventType: 'wedding.booked' },
          name: 'Deliver the gallery',
          defaultAssignee: { userId: 'user-editor' },
          dueOffset: { days: 30, hours: 0, businessDays: false, anchor: tasksV1.DueAnchor.DUE_ANCHOR_SUBJECT_DATE, anchorField: 'event_date' },
        }),
      },
      command(T),
    );
    await eventually('the event template in the read model', async () => {
      const { templates } = await call<tasksV1.ListTemplatesByTriggerResponse>('ListTemplatesByTrigger', { trigger: { eventType: 'wedding.booked' } }, caller(T));
      return templates.length === 1 ? true : undefined;
    });
    const ingest = {
      eventType: 'wedding.booked',
      subjectId: 'booking-1',
      payloadJson: JSON.stringify({ event_date: '2027-05-01', guests: 120 }),
      occurredAt: { seconds: String(Date.parse('2026-11-21T08:00:00Z') / 1000), nanos: 0 },
      idempotencyKey: 'form-1',
    };
    const first = await call<tasksV1.IngestExternalEventResponse>('IngestExternalEvent', ingest, command(T));
    const second = await call<tasksV1.IngestExternalEventResponse>('IngestExternalEvent', ingest, command(T));
    expect(first).toEqual({ eventId: externalEventId(T, 'form-1'), duplicate: false });
    expect(second).toEqual({ eventId: first.eventId, duplicate: true });

    const forB = { schemaVersion: 1, tenantId: B, idempotencyKey: `b-on-t-${run}`, eventTypeKey: 'wedding.booked', subjectId: 'booking-b', occurredAt: '2026-11-21T09:00:00Z', payload: {} };
    await producer.send({
      topic: externalEventsInboundTopic(T),
      messages: [
        { key: T, value: `not json ${run}` },
        // The tenant is the topic's (its producer's credentials): a body naming tenant B is refused.
        { key: T, value: JSON.stringify(forB) },
        {
          key: T,
          value: JSON.stringify({
            schemaVersion: 1,
            tenantId: T,
            idempotencyKey: 'form-2',
            eventTypeKey: 'wedding.booked',
            subjectId: 'booking-2',
            occurredAt: '2026-11-21T09:00:00+01:00',
            payload: { event_date: '2027-06-12' },
            // A producer cannot write in a user's name: the recorded actor is its credential identity.
            actorId: USER,
          }),
        },
      ],
    });
    const gallery1 = await eventually('the gallery task of booking 1', async () => {
      const found = await tasksOf(T, { subjectId: 'booking-1' });
      return found.length > 0 ? found : undefined;
    });
    const gallery2 = await eventually('the gallery task of booking 2 (inbound topic)', async () => {
      const found = await tasksOf(T, { subjectId: 'booking-2' });
      return found.length > 0 ? found : undefined;
    });
    expect(gallery1).toHaveLength(1);
    expect(gallery1[0]).toMatchObject({ name: 'Deliver the gallery', assigneeIds: ['user-editor'], dueAt: { seconds: String(Date.parse('2027-05-31T00:00:00Z') / 1000), nanos: 0 } });
    expect(gallery2).toHaveLength(1);
    expect(gallery2[0]!.triggerEventId).toBe(externalEventId(T, 'form-2'));
    const recordedBy = await pool.query<{ actor: string; kind: string }>(
      `SELECT metadata->>'actorId' AS actor, metadata->>'actorKind' AS kind FROM "${schema}".events WHERE tenant_id = $1 AND type = 'ExternalEventIngested' AND data->>'eventId' = $2`,
      [T, externalEventId(T, 'form-2')],
    );
    expect(recordedBy.rows).toEqual([{ actor: inboundActor(T), kind: 'service' }]);

    const eventWorkflows = await eventually('both event expansions in visibility', async () => {
      const ids: string[] = [];
      for await (const execution of env.client.workflow.list({ query: searchAttributeQuery({ tenantId: T, triggerType: 'event_type' }) })) ids.push(execution.workflowId);
      return ids.length >= 2 ? ids.sort() : undefined;
    });
    expect(eventWorkflows).toEqual([workflowId('tasks', T, 'event', externalEventId(T, 'form-1')), workflowId('tasks', T, 'event', externalEventId(T, 'form-2'))].sort());

    const deadLettered = await readUntil(kafka, dlqTopic, (m) => m.value?.toString('utf8') === `not json ${run}`);
    expect(deadLettered.headers?.['x-dlq-reason']?.toString()).toMatch(/^invalid-json/);
    expect(deadLettered.headers?.['x-dlq-original-topic']?.toString()).toBe(externalEventsInboundTopic(T));
    const otherTenant = await readUntil(kafka, dlqTopic, (m) => m.value?.toString('utf8') === JSON.stringify(forB));
    expect(otherTenant.headers?.['x-dlq-reason']?.toString()).toBe(`tenant-mismatch: a message on tenant ${T}'s inbound topic names tenant ${B}`);
  });

  it('expands new triggers with a revised template while earlier tasks keep their version', async () => {
    const { templates } = await call<tasksV1.ListTemplatesByTriggerResponse>('ListTemplatesByTrigger', { trigger: { leadStatusId: BOOKED } }, caller(T));
    const current = templates.find((t) => t.key === 'prepare-contract')!;
    const revised = await call<tasksV1.ReviseTaskTemplateResponse>(
      'ReviseTaskTemplate',
      { templateId: current.templateId, template: { ...current, name: 'Prepare the contract (v2)' }, expectedVersion: current.version },
      command(T),
    );
    expect(revised.template).toMatchObject({ revision: 2, name: 'Prepare the contract (v2)' });
    await eventually('revision 2 in the read model', async () => {
      const list = await call<tasksV1.ListTemplatesByTriggerResponse>('ListTemplatesByTrigger', { trigger: { leadStatusId: BOOKED } }, caller(T));
      return list.templates.find((t) => t.key === 'prepare-contract')?.revision === 2 ? true : undefined;
    });

    await producer.send({
      topic: 'crm.lead.v1',
      messages: [
        crmLeadMessage(T, LEAD_2, 1, 'LeadStatusChanged', {
          leadId: LEAD_2, fromStatusId: INQUIRY, toStatusId: BOOKED, reason: 'signed', changedAt: '2026-11-21T10:00:00Z', changedBy: 'user-crm',
        }),
      ],
    });
    const lead2 = await eventually('the tasks of lead 2', async () => {
      const found = await tasksOf(T, { leadId: LEAD_2 });
      return found.length >= 4 ? found : undefined;
    });
    expect(lead2.find((t) => t.templateKey === 'prepare-contract')).toMatchObject({ name: 'Prepare the contract (v2)', templateRevision: 2, assigneeIds: [] });
    // Lead 2 has no event date: the subject-date task falls back to the trigger time (+14 days forward, 09:00).
    expect(lead2.find((t) => t.templateKey === 'send-contract')?.dueAt).toEqual({ seconds: String(Date.parse('2026-12-05T19:00:00Z') / 1000), nanos: 0 });
    const lead1 = await call<tasksV1.ListTasksResponse>('ListTasks', { leadId: LEAD_1, statuses: [tasksV1.TaskStatus.TASK_STATUS_COMPLETED] }, caller(T));
    expect(lead1.tasks.map((t) => [t.name, t.templateRevision])).toEqual([['Prepare the contract', 1]]);
  });

  it('admits an expansion caused by automation below the depth limit into the tenant rate window', async () => {
    const lead4 = randomUUID();
    const eventId = randomUUID();
    await producer.send({
      topic: 'crm.lead.v1',
      messages: [
        crmLeadMessage(
          T,
          lead4,
          1,
          'LeadStatusChanged',
          { leadId: lead4, fromStatusId: INQUIRY, toStatusId: BOOKED, reason: 'automation', changedAt: '2026-11-21T11:00:00Z', changedBy: 'system:crm' },
          eventId,
          1,
        ),
      ],
    });
    const id = workflowId('tasks', T, 'lead-status', lead4, eventId);
    const summary = await eventually('the admitted expansion', async () => {
      try {
        return (await env.client.workflow.getHandle(id).result()) as ExpansionSummary;
      } catch {
        return undefined;
      }
    });
    expect(summary).toMatchObject({ outcome: 'completed', created: 4 });
    const { rows } = await pool.query(`SELECT trigger_event_id, depth FROM "${schema}".automation_triggers WHERE tenant_id = $1`, [T]);
    expect(rows).toEqual([{ trigger_event_id: eventId, depth: 1 }]);
  });

  it('stops an expansion caused by automation at the depth limit, and says so', async () => {
    const lead3 = randomUUID();
    const eventId = randomUUID();
    await producer.send({
      topic: 'crm.lead.v1',
      messages: [
        crmLeadMessage(
          T,
          lead3,
          1,
          'LeadStatusChanged',
          { leadId: lead3, fromStatusId: INQUIRY, toStatusId: BOOKED, reason: 'automation', changedAt: '2026-11-21T12:00:00Z', changedBy: 'system:crm' },
          eventId,
          3,
        ),
      ],
    });
    const id = workflowId('tasks', T, 'lead-status', lead3, eventId);
    const summary = await eventually('the stopped expansion', async () => {
      try {
        return (await env.client.workflow.getHandle(id).result()) as ExpansionSummary;
      } catch {
        return undefined;
      }
    });
    expect(summary).toMatchObject({ outcome: 'stopped', created: 0 });
    expect(summary.message).toContain('max_depth');
    expect(await tasksOf(T, { leadId: lead3 })).toEqual([]);
    const { rows } = await pool.query(`SELECT type, data->>'reason' AS reason FROM "${schema}".events WHERE stream_name = $1`, [`automation-guard-${T}`]);
    expect(rows).toEqual([{ type: 'AutomationLoopStopped', reason: 'max_depth' }]);
  });

  it('keeps a business calendar per tenant (Monday to Friday, UTC until set)', async () => {
    expect((await call<tasksV1.GetBusinessCalendarResponse>('GetBusinessCalendar', {}, caller(B))).calendar).toEqual({
      timezone: 'UTC',
      workingDays: [1, 2, 3, 4, 5],
      holidays: [],
      version: '0',
    });
    const set = await call<tasksV1.SetBusinessCalendarResponse>(
      'SetBusinessCalendar',
      { calendar: { timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4], holidays: ['2026-12-24'] } },
      command(B),
    );
    expect(set.calendar).toEqual({ timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4], holidays: ['2026-12-24'], version: '1' });
    const bad = await failedCall(call('SetBusinessCalendar', { calendar: { timezone: 'Mars/Base', workingDays: [], holidays: [] } }, command(B)));
    expect(bad.code).toBe(status.INVALID_ARGUMENT);
    expect((await call<tasksV1.GetBusinessCalendarResponse>('GetBusinessCalendar', {}, caller(T))).calendar?.timezone).toBe('UTC');
  });

  it('lists the event types of a tenant whose id is not a uuid', async () => {
    const defined = await call<tasksV1.DefineEventTypeResponse>('DefineEventType', { eventType: 'shoot.done', name: 'Shoot done' }, command(B));
    expect(defined.eventType).toMatchObject({ eventType: 'shoot.done', version: '1', retired: false });
    const listed = await eventually('the event type in the read model', async () => {
      const { eventTypes } = await call<tasksV1.ListEventTypesResponse>('ListEventTypes', {}, caller(B));
      return eventTypes.length > 0 ? eventTypes : undefined;
    });
    expect(listed.map((e) => [e.eventType, e.name])).toEqual([['shoot.done', 'Shoot done']]);
    expect((await call<tasksV1.ListEventTypesResponse>('ListEventTypes', {}, caller(T))).eventTypes.map((e) => e.eventType)).toEqual(['wedding.booked']);
  });

  it('pages through tasks with a keyset token', async () => {
    const first = await call<tasksV1.ListTasksResponse>('ListTasks', { statuses: [], page: { pageSize: 3, pageToken: '' } }, caller(T));
    expect(first.tasks).toHaveLength(3);
    const rest = await call<tasksV1.ListTasksResponse>('ListTasks', { statuses: [], page: { pageSize: 50, pageToken: first.page!.nextPageToken } }, caller(T));
    const all = await call<tasksV1.ListTasksResponse>('ListTasks', { statuses: [], page: { pageSize: 50, pageToken: '' } }, caller(T));
    expect([...first.tasks, ...rest.tasks].map((t) => t.taskId)).toEqual(all.tasks.map((t) => t.taskId));
    expect(rest.page?.nextPageToken).toBe('');
    const bad = await failedCall(call('ListTasks', { statuses: [], page: { pageSize: 5, pageToken: 'garbage' } }, caller(T)));
    expect(bad.code).toBe(status.INVALID_ARGUMENT);
  });

  it("admits only the active users crm's organization events told it of, with the role crm holds for them now", async () => {
    const userId = randomUUID();
    const listTasks = (caller: Caller) => call('ListTasks', { statuses: [] }, caller.query());
    const refused = async (promise: Promise<unknown>) => (await failedCall(promise)).code;
    const publish = (message: ReturnType<typeof crmOrganizationMessage>) => producer.send({ topic: 'crm.organization.v1', messages: [message] });
    const at = new Date().toISOString();

    // Unknown until crm's UserAdded reaches the task-engine (what a user crm just added meets).
    expect(await refused(listTasks(new Caller(T, userId, ['manager'])))).toBe(status.PERMISSION_DENIED);
    await enrolUser(producer, running, T, userId, 'Manager');
    await listTasks(new Caller(T, userId, ['manager']));
    // A user of tenant T is no user of tenant B.
    expect(await refused(listTasks(new Caller(B, userId, ['manager'])))).toBe(status.PERMISSION_DENIED);

    await publish(crmOrganizationMessage(T, 'UserRoleChanged', { organizationId: T, userId, previousRole: 'Manager', role: 'Contributor', changedAt: at, changedBy: USER }));
    await waitForMember(running, T, userId, (member) => member?.role === 'contributor');
    expect(await refused(listTasks(new Caller(T, userId, ['manager'])))).toBe(status.PERMISSION_DENIED);
    const contributor = new Caller(T, userId, ['contributor']);
    await listTasks(contributor);
    expect(await refused(call('CreateTaskTemplate', { template: template('too-late', { name: 'Too late' }) }, contributor.command()))).toBe(status.PERMISSION_DENIED);

    await publish(crmOrganizationMessage(T, 'UserDeactivated', { organizationId: T, userId, reason: 'left', deactivatedAt: at, deactivatedBy: USER }));
    await waitForMember(running, T, userId, (member) => member?.active === false);
    expect(await refused(listTasks(contributor))).toBe(status.PERMISSION_DENIED);
  });

  it("shows a client user none of the studio's internal work: no task, comment or task history", async () => {
    const client = new Caller(T, randomUUID(), ['client']);
    await enrolUser(producer, running, T, client.actorId, 'Client');
    const [task] = await tasksOf(T, {});
    expect(task).toBeDefined();
    expect((await call<tasksV1.ListTasksResponse>('ListTasks', { statuses: [] }, client.query())).tasks).toEqual([]);
    expect((await failedCall(call('GetTask', { taskId: task!.taskId }, client.query()))).code).toBe(status.NOT_FOUND);
    expect((await failedCall(call('GetTaskHistory', { taskId: task!.taskId }, client.query()))).code).toBe(status.NOT_FOUND);
  });

  it("tells an automation's events from a user's in a task's history (actor kind)", async () => {
    const [task] = await tasksOf(T, {});
    await call('AddTaskComment', { taskId: task!.taskId, body: 'on it' }, command(T));
    const { history } = await call<tasksV1.GetTaskHistoryResponse>('GetTaskHistory', { taskId: task!.taskId }, caller(T));
    const byType = new Map(history!.events.map((e) => [e.type, e]));
    // The expansion workflow created the task as the task-engine itself; the comment is the user's.
    expect(byType.get('TaskCreated')).toMatchObject({ actorId: 'system:task-engine', actorKind: 'service' });
    expect(byType.get('TaskCommentAdded')).toMatchObject({ actorId: USER, actorKind: 'user' });
  });
});
