import { randomBytes } from 'node:crypto';
import { status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import type { crmV1, tasksV1 } from '@projectflo/contracts';
import { fromTimestamp, toTimestamp } from '@projectflo/platform/grpc';
import { createTemporalClient, searchAttributeQuery, temporalConfigFromEnv, type TemporalClientHandle } from '@projectflo/platform/workflow';
import { DateTime } from 'luxon';
import { eventually } from '@projectflo/platform/testing';
import { KafkaTap } from './support/kafka-tap';
import { e2eTopics, endRun, ServiceProcess } from './support/service-process';
import { newTenant } from './support/tenant';
import { untilTaskEngineAdmits } from './support/users';

// The product's heart, through the running processes: a studio defines its pipeline, its event
// types and the tasks each should produce; a lead moves through the pipeline and an external event
// arrives; exactly the right tasks appear — due dates, assignees, dependencies — in the task-engine
// read model, on Kafka and as findable workflows in Temporal. crm and task-engine are separate OS
// processes that only share Kafka (and Temporal, Postgres as infrastructure).

const ZONE = 'Europe/London';
const run = randomBytes(4).toString('hex');
let crm: ServiceProcess;
let tasks: ServiceProcess;
let tap: KafkaTap;
let temporal: TemporalClientHandle;

beforeAll(async () => {
  [crm, tasks] = await Promise.all([ServiceProcess.create('crm', run), ServiceProcess.create('task-engine', run)]);
  await Promise.all([crm.start(), tasks.start()]);
  // The run's topics exist once the services are SERVING; the tap reads them from the beginning.
  tap = new KafkaTap(e2eTopics(run), ['crm.lead.v1', 'tasks.task.v1', 'tasks.expansion.v1']);
  await tap.start();
  temporal = await createTemporalClient(temporalConfigFromEnv());
});

afterAll(async () => {
  await tap?.stop();
  await temporal?.close();
  await endRun(run, [crm, tasks]);
});

const t = newTenant();
let firstEventId = '';
const due = (task: tasksV1.Task) => fromTimestamp(task.dueAt)?.toISOString();

async function listTasks(filter: Partial<tasksV1.ListTasksRequest> = {}): Promise<tasksV1.Task[]> {
  const res = await tasks.call<tasksV1.ListTasksResponse>('ListTasks', { ...filter, page: { pageSize: 200 } }, t.headers());
  return res.tasks ?? [];
}

async function waitForTasks(count: number, what: string): Promise<Map<string, tasksV1.Task>> {
  const all = await eventually(listTasks, (list) => list.length >= count, { timeoutMs: 90_000, what });
  expect(all).toHaveLength(count);
  return new Map(all.map((task) => [task.templateKey + (task.leadId ? '' : '@event'), task]));
}

function template(key: string, trigger: Record<string, string>, name: string, extra: Record<string, unknown> = {}) {
  return tasks.call<tasksV1.CreateTaskTemplateResponse>('CreateTaskTemplate', { template: { key, trigger, name, ...extra } }, t.headers());
}

describe('a lead moving through the pipeline, and an external event, become exactly the right tasks', () => {
  const ids = { avery: '', sam: '', leadId: '', statuses: {} as Record<string, string>, lastChange: undefined as string | undefined };
  const triggerTimes: Record<string, Date> = {};
  const walkthrough = { occurredAt: toTimestamp(new Date()), idempotencyKey: `walkthrough-${run}` };

  it('sets up the studio: users, pipeline, calendar, templates and an event type', async () => {
    await crm.call('RegisterOrganization', { name: 'E2E Studio', timezone: 'Europe/London', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' }, t.headers());
    // The task-engine learns the owner from crm's organization events: wait until it admits them.
    await untilTaskEngineAdmits(tasks, () => t.headers());
    ids.avery = (await crm.call<crmV1.AddUserResponse>('AddUser', { name: 'Avery', email: 'avery@e2e.example', role: 'USER_ROLE_OWNER' }, t.headers())).user!.userId;
    ids.sam = (await crm.call<crmV1.AddUserResponse>('AddUser', { name: 'Sam', email: 'sam@e2e.example', role: 'USER_ROLE_MEMBER' }, t.headers())).user!.userId;
    for (const name of ['New Inquiry', 'Contacted', 'Booked']) {
      ids.statuses[name] = (await crm.call<crmV1.DefineLeadStatusResponse>('DefineLeadStatus', { name }, t.headers())).leadStatus!.statusId;
    }
    await tasks.call('SetBusinessCalendar', { calendar: { timezone: ZONE, workingDays: [1, 2, 3, 4, 5], holidays: [] } }, t.headers());

    const contacted = { leadStatusId: ids.statuses['Contacted'] };
    const booked = { leadStatusId: ids.statuses['Booked'] };
    const newInquiry = { leadStatusId: ids.statuses['New Inquiry'] };
    const leadAssignee = { rule: 'ASSIGNEE_RULE_LEAD_ASSIGNEE' };
    const afterTrigger = (days: number, hours = 0) => ({ days, hours, anchor: 'DUE_ANCHOR_TRIGGER_TIME' });
    // On the status a lead is captured into: its task must already see the capture's assignee.
    await template('acknowledge-inquiry', newInquiry, 'Acknowledge the inquiry', { priority: 'TASK_PRIORITY_HIGH', dueOffset: afterTrigger(0, 4), defaultAssignee: leadAssignee });
    await template('send-welcome-pack', contacted, 'Send the welcome pack', { priority: 'TASK_PRIORITY_HIGH', dueOffset: afterTrigger(2, 3), defaultAssignee: leadAssignee });
    await template('schedule-call', contacted, 'Schedule the discovery call', { priority: 'TASK_PRIORITY_MEDIUM', dueOffset: afterTrigger(4), defaultAssignee: { userId: ids.sam }, dependsOn: ['send-welcome-pack'] });
    await template('countersign', booked, 'Countersign the contract', { priority: 'TASK_PRIORITY_CRITICAL', dueOffset: afterTrigger(1), defaultAssignee: { userId: ids.sam } });
    await template('shot-list', booked, 'Plan the shot list', {
      priority: 'TASK_PRIORITY_MEDIUM',
      dueOffset: { days: -7, hours: 10, anchor: 'DUE_ANCHOR_SUBJECT_DATE', anchorField: 'event_date' },
      defaultAssignee: leadAssignee,
      dependsOn: ['countersign'],
      checklistItems: [{ itemKey: 'ceremony', title: 'Ceremony must-haves' }, { itemKey: 'family', title: 'Family groups' }],
    });
    await template('questionnaire', booked, 'Send the questionnaire', { priority: 'TASK_PRIORITY_LOW', dueOffset: afterTrigger(5) });

    await tasks.call('DefineEventType', { eventType: 'venue.walkthrough.booked', name: 'Venue walkthrough booked', subjectDateFields: ['walkthrough_date'] }, t.headers());
    await template('walkthrough-prep', { eventType: 'venue.walkthrough.booked' }, 'Prepare the venue walkthrough', {
      priority: 'TASK_PRIORITY_HIGH',
      dueOffset: { days: -1, hours: 8, anchor: 'DUE_ANCHOR_SUBJECT_DATE', anchorField: 'walkthrough_date' },
      defaultAssignee: { userId: ids.sam },
    });
    // The studio sees its templates in its template list before leads move (expansions themselves
    // read templates from the event store and need not wait for the read model).
    const visible = (trigger: Record<string, string>, count: number) =>
      eventually(
        () => tasks.call<tasksV1.ListTemplatesByTriggerResponse>('ListTemplatesByTrigger', { trigger }, t.headers()).then((r) => r.templates ?? []),
        (list) => list.length === count,
        { what: `${count} templates of ${JSON.stringify(trigger)}` },
      );
    expect((await visible(booked, 3)).map((x) => x.key).sort()).toEqual(['countersign', 'questionnaire', 'shot-list']);
    expect((await visible(contacted, 2)).map((x) => x.key).sort()).toEqual(['schedule-call', 'send-welcome-pack']);
    expect(await visible(newInquiry, 1)).toHaveLength(1);
    expect(await visible({ eventType: 'venue.walkthrough.booked' }, 1)).toHaveLength(1);
  });

  it('captures a lead and moves it through Contacted and Booked; an external event arrives', async () => {
    const contact = await crm.call<crmV1.CreateContactResponse>('CreateContact', { type: 'CONTACT_TYPE_CLIENT_LEAD', firstName: 'Priya', lastName: 'Shah', email: `priya.${run}@e2e.example` }, t.headers());
    const lead = await crm.call<crmV1.CaptureLeadResponse>('CaptureLead', {
      contactId: contact.contact!.contactId, statusId: ids.statuses['New Inquiry'], eventDate: '2027-06-12', venue: 'Kew Gardens', source: 'website', assigneeId: ids.avery,
    }, t.headers());
    ids.leadId = lead.lead!.leadId;
    await crm.call('ChangeLeadStatus', { leadId: ids.leadId, toStatusId: ids.statuses['Contacted'], reason: 'replied' }, t.headers());
    await crm.call('ChangeLeadStatus', { leadId: ids.leadId, toStatusId: ids.statuses['Booked'], reason: 'deposit paid' }, t.headers());
    const ingested = await tasks.call<tasksV1.IngestExternalEventResponse>('IngestExternalEvent', {
      eventType: 'venue.walkthrough.booked', subjectId: ids.leadId, payloadJson: JSON.stringify({ walkthrough_date: '2027-05-01' }),
      ...walkthrough,
    }, t.headers());
    expect(ingested.duplicate).toBe(false);
    firstEventId = ingested.eventId;

    const history = await eventually(
      () => crm.call<crmV1.GetLeadResponse>('GetLead', { leadId: ids.leadId }, t.headers()),
      (res) => (res.statusHistory ?? []).length === 3,
      { what: 'the lead with its three status changes in the crm read model' },
    );
    for (const change of history.statusHistory ?? []) triggerTimes[change.toStatusId] = fromTimestamp(change.changedAt)!;
    expect(Object.keys(triggerTimes).sort()).toEqual([ids.statuses['New Inquiry'], ids.statuses['Contacted'], ids.statuses['Booked']].sort());
  });

  it('makes exactly seven tasks with the right due dates, assignees and dependency states', async () => {
    const byKey = await waitForTasks(7, 'the seven tasks of New Inquiry, Contacted, Booked and the walkthrough event');
    // Calendar days move the wall clock of the studio's timezone (across a DST change too).
    const inZone = (at: Date) => DateTime.fromJSDate(at, { zone: ZONE });
    const contactedAt = inZone(triggerTimes[ids.statuses['Contacted']]);
    const bookedAt = inZone(triggerTimes[ids.statuses['Booked']]);
    const iso = (at: DateTime) => at.toUTC().toISO();
    const task = (key: string) => byKey.get(key)!;

    const capturedAt = inZone(triggerTimes[ids.statuses['New Inquiry']]);
    expect(due(task('acknowledge-inquiry'))).toBe(iso(capturedAt.plus({ hours: 4 })));
    expect(task('acknowledge-inquiry').assigneeIds).toEqual([ids.avery]);
    expect([...byKey.keys()].sort()).toEqual(['acknowledge-inquiry', 'countersign', 'questionnaire', 'schedule-call', 'send-welcome-pack', 'shot-list', 'walkthrough-prep@event']);
    expect(due(task('send-welcome-pack'))).toBe(iso(contactedAt.plus({ days: 2 }).plus({ hours: 3 })));
    expect(due(task('schedule-call'))).toBe(iso(contactedAt.plus({ days: 4 })));
    expect(due(task('countersign'))).toBe(iso(bookedAt.plus({ days: 1 })));
    expect(due(task('questionnaire'))).toBe(iso(bookedAt.plus({ days: 5 })));
    // 7 days before the event date at 10:00 London time (BST, UTC+1).
    expect(due(task('shot-list'))).toBe('2027-06-05T09:00:00.000Z');
    // The day before the walkthrough at 08:00 London time.
    expect(due(task('walkthrough-prep@event'))).toBe('2027-04-30T07:00:00.000Z');

    expect(task('send-welcome-pack').assigneeIds).toEqual([ids.avery]);
    expect(task('schedule-call').assigneeIds).toEqual([ids.sam]);
    expect(task('countersign').assigneeIds).toEqual([ids.sam]);
    expect(task('shot-list').assigneeIds).toEqual([ids.avery]);
    expect(task('questionnaire').assigneeIds ?? []).toEqual([]);
    expect(task('walkthrough-prep@event').assigneeIds).toEqual([ids.sam]);

    expect(task('send-welcome-pack').status).toBe('TASK_STATUS_READY_TO_START');
    expect(task('schedule-call').status).toBe('TASK_STATUS_TODO');
    expect(task('schedule-call').blockedByTaskIds).toEqual([task('send-welcome-pack').taskId]);
    expect(task('countersign').status).toBe('TASK_STATUS_READY_TO_START');
    expect(task('shot-list').status).toBe('TASK_STATUS_TODO');
    expect(task('shot-list').blockedByTaskIds).toEqual([task('countersign').taskId]);
    expect((task('shot-list').checklistItems ?? []).map((i) => i.title)).toEqual(['Ceremony must-haves', 'Family groups']);
    expect(task('walkthrough-prep@event').subjectId).toBe(ids.leadId);
    for (const key of ['send-welcome-pack', 'schedule-call', 'countersign', 'shot-list', 'questionnaire']) expect(task(key).leadId).toBe(ids.leadId);
  });

  it('publishes every change on Kafka with CloudEvents headers, keyed by aggregate id', async () => {
    const created = await eventually(
      async () => tap.forTenant(t.tenantId).filter((m) => m.topic === 'tasks.task.v1' && m.headers['ce_type'] === 'projectflo.task-engine.TaskCreated'),
      (list) => list.length >= 7,
      { what: 'seven TaskCreated messages' },
    );
    expect(created).toHaveLength(7);
    const taskIds = (await listTasks()).map((task) => task.taskId).sort();
    expect(created.map((m) => m.key).sort()).toEqual(taskIds);
    for (const m of created) {
      expect(m.headers).toMatchObject({ ce_specversion: '1.0', ce_source: 'projectflo/task-engine', 'content-type': 'application/json', ce_subject: `task-${m.key}` });
    }
    const leadEvents = tap.forTenant(t.tenantId).filter((m) => m.topic === 'crm.lead.v1').map((m) => m.headers['ce_type']);
    expect(leadEvents.filter((type) => type === 'projectflo.crm.LeadStatusChanged')).toHaveLength(2);
    expect(leadEvents).toContain('projectflo.crm.LeadCaptured');
  });

  it('tells downstream consumers and clients when each expansion finished, with its tasks', async () => {
    // Four triggers: the capture into New Inquiry, Contacted, Booked, and the walkthrough event.
    const finished = await eventually(
      async () => tap.forTenant(t.tenantId).filter((m) => m.topic === 'tasks.expansion.v1'),
      (list) => list.length >= 4,
      { what: 'four ExpansionFinished messages' },
    );
    expect(finished).toHaveLength(4);
    const payloads = finished.map((m) => m.value as { triggerEventId: string; outcome: string; taskIds: string[] });
    expect(payloads.map((p) => p.outcome)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(payloads.flatMap((p) => p.taskIds).sort()).toEqual((await listTasks()).map((task) => task.taskId).sort());
    // The same outcome over gRPC, by the trigger's event id.
    const walkthrough = await tasks.call<tasksV1.GetExpansionOutcomeResponse>('GetExpansionOutcome', { triggerEventId: firstEventId }, t.headers());
    expect(walkthrough.outcome).toMatchObject({ outcome: 'EXPANSION_OUTCOME_KIND_COMPLETED', eventType: 'venue.walkthrough.booked', templateCount: 1, created: 1 });
    expect(payloads.find((p) => p.triggerEventId === firstEventId)?.taskIds).toEqual(walkthrough.outcome!.taskIds);
  });

  it('leaves one findable workflow per trigger in Temporal, with its search attributes', async () => {
    const byLead = await eventually(
      async () => {
        const found: { id: string; count?: unknown }[] = [];
        const query = searchAttributeQuery({ tenantId: t.tenantId, leadId: ids.leadId });
        for await (const wf of temporal.client.workflow.list({ query })) found.push({ id: wf.workflowId, count: wf.searchAttributes['TemplateCount'] });
        return found;
      },
      (found) => found.length === 3,
      { what: 'the New Inquiry, Contacted and Booked expansions in visibility' },
    );
    expect(byLead.every((wf) => wf.id.startsWith(`tasks/${t.tenantId}/lead-status/${ids.leadId}/`))).toBe(true);
    expect(byLead.map((wf) => (wf.count as number[] | undefined)?.[0]).sort()).toEqual([1, 2, 3]);
    const eventRuns: string[] = [];
    for await (const wf of temporal.client.workflow.list({ query: searchAttributeQuery({ tenantId: t.tenantId, triggerType: 'event_type' }) })) eventRuns.push(wf.workflowId);
    expect(eventRuns).toHaveLength(1);
  });

  it('makes the dependent ready when its blocker completes', async () => {
    const byKey = await waitForTasks(7, 'the seven tasks');
    const blocker = byKey.get('send-welcome-pack')!;
    await tasks.call('StartTask', { taskId: blocker.taskId }, t.headers());
    await tasks.call('ChangeTaskStatus', { taskId: blocker.taskId, toStatus: 'TASK_STATUS_COMPLETED', reason: 'sent' }, t.headers());
    const dependent = await eventually(
      () => tasks.call<tasksV1.GetTaskResponse>('GetTask', { taskId: byKey.get('schedule-call')!.taskId }, t.headers()),
      (res) => res.task?.status === 'TASK_STATUS_READY_TO_START',
      { what: 'the dependent to become ready to start' },
    );
    expect(dependent.task!.openBlockerTaskIds ?? []).toEqual([]);
  });

  it('ignores a redelivered status change (RELIABILITY 2) and ingesting the same external event again', async () => {
    const original = tap.forTenant(t.tenantId).find((m) => m.topic === 'crm.lead.v1' && m.headers['ce_type'] === 'projectflo.crm.LeadStatusChanged' && (m.value as { toStatusId: string }).toStatusId === ids.statuses['Booked'])!;
    const producer = e2eTopics(run).client('e2e-redeliver').producer();
    await producer.connect();
    await producer.send({ topic: 'crm.lead.v1', messages: [{ key: original.key, value: JSON.stringify(original.value), headers: { ...original.headers } }] });
    await producer.disconnect();
    const again = await tasks.call<tasksV1.IngestExternalEventResponse>('IngestExternalEvent', {
      eventType: 'venue.walkthrough.booked', subjectId: ids.leadId, payloadJson: JSON.stringify({ walkthrough_date: '2027-05-01' }),
      ...walkthrough,
    }, t.headers());
    expect(again.duplicate).toBe(true);
    expect(again.eventId).toBe(firstEventId);

    // A later change on the same lead (same partition, so consumed after the redelivery) proves the
    // redelivered message has been handled when its tasks appear.
    ids.lastChange = (await crm.command('ChangeLeadStatus', { leadId: ids.leadId, toStatusId: ids.statuses['Contacted'], reason: 'date moved' }, t.headers())).token;
    const all = await waitForTasksCount(9);
    const counts = new Map<string, number>();
    for (const task of all) counts.set(task.templateKey, (counts.get(task.templateKey) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ 'acknowledge-inquiry': 1, 'send-welcome-pack': 2, 'schedule-call': 2, countersign: 1, 'shot-list': 1, questionnaire: 1, 'walkthrough-prep': 1 });
  });

  it('lets one of two racing status changes win and expands only the winner (RELIABILITY 6)', async () => {
    // The crm read model as of the fourth status change (its token: no polling).
    const current = await crm.call<crmV1.GetLeadResponse>('GetLead', { leadId: ids.leadId }, t.readAfter(ids.lastChange!));
    expect(current.statusHistory ?? []).toHaveLength(4);
    const version = current.lead!.version;
    const results = await Promise.allSettled([
      crm.command('ChangeLeadStatus', { leadId: ids.leadId, toStatusId: ids.statuses['Booked'], reason: 'race A', expectedVersion: version }, t.headers()),
      crm.command('ChangeLeadStatus', { leadId: ids.leadId, toStatusId: ids.statuses['New Inquiry'], reason: 'race B', expectedVersion: version }, t.headers()),
    ]);
    const won = results.filter((r): r is PromiseFulfilledResult<{ response: unknown; token: string }> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0].reason as ServiceError).code).toBe(grpcStatus.ABORTED);
    expect((lost[0].reason as ServiceError).details).toMatch(new RegExp(`expected ${version}, actual ${Number(version) + 1}`));
    const bookedWon = results[0].status === 'fulfilled';
    // Booked adds its three templates' tasks; New Inquiry its one.
    const expected = bookedWon ? 12 : 10;
    await waitForTasksCount(expected);
    // The loser changed nothing: a later command on the lead sees exactly one more version.
    const after = await crm.call<crmV1.GetLeadResponse>('GetLead', { leadId: ids.leadId }, t.readAfter(won[0]!.value.token));
    expect(after.statusHistory ?? []).toHaveLength(5);
    expect(Number(after.lead!.version)).toBe(Number(version) + 1);
    expect(after.lead!.statusId).toBe(bookedWon ? ids.statuses['Booked'] : ids.statuses['New Inquiry']);
    expect(await listTasks()).toHaveLength(expected);
  });
});

async function waitForTasksCount(count: number): Promise<tasksV1.Task[]> {
  const all = await eventually(
    () => tasks.call<tasksV1.ListTasksResponse>('ListTasks', { page: { pageSize: 200 } }, t.headers()).then((r) => r.tasks ?? []),
    (list) => list.length >= count,
    { timeoutMs: 90_000, what: `${count} tasks` },
  );
  expect(all).toHaveLength(count);
  return all;
}
