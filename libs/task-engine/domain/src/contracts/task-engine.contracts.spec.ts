import {
  MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1,
  tasksEventContractsV1,
  tasksExternalEventsInboundV1,
  TASKS_TOPIC_CONTRACTS_V1,
  type EventContracts,
} from '@projectflo/contracts';
import type { Command, Decider, DomainEvent } from '@projectflo/platform/core';
import { routeStream } from '@projectflo/platform/messaging';
import type { z } from 'zod';
import { eventTypeCatalogDecider } from '../event-type/event-type.decider';
import { externalEventDecider, externalEventId } from '../external-event/external-event.decider';
import { planExpansion, type PlannedTask } from '../expansion/expansion.planner';
import { automationGuardDecider } from '../loop-guard/automation-guard.decider';
import { expansionOutcomeDecider, MAX_EXPANSION_TASKS } from '../expansion-outcome/expansion-outcome.decider';
import { businessCalendarDecider } from '../business-calendar/business-calendar.decider';
import { CALENDAR_LIMITS } from '../expansion/business-calendar';
import { meta, NOW, TENANT } from '../shared/command-metadata.fixtures';
import { LIMITS } from '../shared/text-limits';
import { MAX_TRANSITION_DATA_BYTES, taskDecider } from '../task/task.decider';
import { definition, templateVersion } from '../task-template/task-template.fixtures';
import { taskTemplateDecider } from '../task-template/task-template.decider';
import { taskTemplateId, type TaskTemplateDefinition } from '../task-template/task-template.definition';
import { TASK_ENGINE_EVENT_NAMES, TASK_ENGINE_SCHEMA_VERSIONS, type TaskEngineEvent } from './task-engine.event-names';
import { EXTERNAL_EVENTS_INBOUND_TOPIC, TASK_ENGINE_TOPIC_MAP, TASK_ENGINE_TOPICS, TaskEngineStreams, type TaskEnginePublishedAggregate } from './task-engine.streams';

/*
 * The published contracts (libs/contracts/src/events/tasks-*.v1.ts) against what the
 * task-engine's deciders really emit: every event type of every aggregate has a contract on its
 * aggregate's topic, at the schema version the command handler stamps, and the events of histories
 * that emit each of them, with every text, list and JSON document at its largest, parse as they
 * travel (JSON).
 */

type Contracts = typeof tasksEventContractsV1;

// Compile-time: each event type has a contract whose payload is the decider's event data, and no
// contract names a type the deciders do not emit.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Drifted = {
  [Type in TaskEngineEvent['type']]: Same<z.infer<Contracts[Type]['schema']>, Extract<TaskEngineEvent, { type: Type }>['data']> extends true ? never : Type;
}[TaskEngineEvent['type']];
type Unemitted = Exclude<keyof Contracts, TaskEngineEvent['type']>;
const contractsMatchEvents: [Drifted | Unemitted] extends [never] ? true : Drifted | Unemitted = true;

const UUID = '0b6f9c1e-7d8a-5f3b-9e2c-4a1d6b8c0e3f';
/** At the domain's longest, counted as it counts (UTF-16 units); é is two bytes in UTF-8. */
const longest = (length: number): string => 'é'.repeat(length);
const key = (length: number): string => `k${'-x'.repeat((length - 1) / 2)}`;
const ACTOR = `user:${'x'.repeat(123)}`;
const m = () => meta({ actorId: ACTOR, automationDepth: 3 });
/** A JSON object of exactly `bytes` bytes as UTF-8 JSON. */
const document = (bytes: number) => ({ note: 'x'.repeat(bytes - '{"note":""}'.length) });

/** Runs commands through a decider as a command handler would, returning every event it emitted. */
function history<S, C extends Command, E extends DomainEvent>(decider: Decider<S, C, E>, commands: readonly C[]): E[] {
  const events: E[] = [];
  for (const command of commands) events.push(...decider.decide(command, events.reduce(decider.evolve, decider.initialState())));
  return events;
}

const largestDefinition: TaskTemplateDefinition = definition({
  key: key(63),
  trigger: { kind: 'event_type', eventTypeKey: `a${'.b'.repeat(49)}a` },
  name: longest(LIMITS.name),
  description: longest(LIMITS.description),
  dueOffset: { days: 3650, hours: 23, businessDays: true, direction: 'before', anchor: { kind: 'subject_date', field: `f${'_'.repeat(63)}` } },
  defaultAssignee: { kind: 'user', userId: 'u'.repeat(LIMITS.id) },
  phase: longest(LIMITS.phase),
  effortHours: '99999.99',
  metadata: Object.fromEntries(Array.from({ length: LIMITS.metadataEntries }, (_, i) => [`${i}`.padStart(64, 'k'), longest(LIMITS.metadataValue)])),
  checklist: Array.from({ length: LIMITS.checklistItems }, (_, i) => ({ itemKey: `item-${i}`, title: longest(LIMITS.checklistTitle) })),
  parentKey: 'parent',
  dependsOn: Array.from({ length: LIMITS.dependsOn }, (_, i) => `before-${i}`),
  allowCompleteWithOpenSubtasks: true,
});

const eventTypesHistory = () =>
  history(eventTypeCatalogDecider, [
    {
      type: 'DefineEventType',
      data: {
        eventTypeId: 'e'.repeat(LIMITS.id),
        eventType: `a${'.b'.repeat(49)}a`,
        name: longest(LIMITS.name),
        description: longest(LIMITS.description),
        subjectDateFields: Array.from({ length: LIMITS.subjectDateFields }, (_, i) => `f${i}`.padEnd(LIMITS.key, '_')),
      },
      metadata: m(),
    },
    { type: 'RetireEventType', data: { eventTypeId: 'e'.repeat(LIMITS.id), reason: longest(LIMITS.reason) }, metadata: m() },
  ]);

const externalEventHistory = () => {
  const idempotencyKey = longest(LIMITS.idempotencyKey);
  return history(externalEventDecider, [
    {
      type: 'IngestExternalEvent',
      data: {
        eventId: externalEventId(TENANT, idempotencyKey),
        eventType: 'wedding.booked',
        subjectId: 's'.repeat(LIMITS.id),
        payload: document(MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1),
        occurredAt: '2025-06-14T12:04:59+02:00',
        idempotencyKey,
      },
      metadata: m(),
    },
  ]);
};

const taskTemplateHistory = () => {
  const templateId = taskTemplateId(TENANT, largestDefinition.trigger, largestDefinition.key);
  return history(taskTemplateDecider, [
    { type: 'CreateTaskTemplate', data: { templateId, definition: largestDefinition }, metadata: m() },
    { type: 'ReviseTaskTemplate', data: { templateId, definition: { ...largestDefinition, name: 'Revised', metadata: {}, checklist: [] } }, metadata: m() },
    { type: 'RetireTaskTemplate', data: { templateId, reason: longest(LIMITS.reason) }, metadata: m() },
    { type: 'ReviseTaskTemplate', data: { templateId, definition: largestDefinition }, metadata: m() },
  ]);
};

/** A task made by the planner from a template, anchored on a subject date. */
function plannedTask(): PlannedTask {
  const [task] = planExpansion({
    tenantId: TENANT,
    trigger: {
      kind: 'event_type',
      eventTypeKey: 'wedding.booked',
      triggerEventId: 'ext-1',
      occurredAt: '2025-06-14T09:00:00Z',
      subjectId: 'lead-1',
      subject: { dates: { event_date: '2025-09-20' } },
    },
    templates: [
      templateVersion({
        trigger: { kind: 'event_type', eventTypeKey: 'wedding.booked' },
        dueOffset: { days: 3, hours: 9, businessDays: true, direction: 'before', anchor: { kind: 'subject_date', field: 'event_date' } },
        checklist: [{ itemKey: 'draft', title: 'Draft' }],
      }),
    ],
    calendar: { timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], holidays: [] },
  }).tasks;
  return task!;
}

/** The largest task a template can make: every list full, blocked by as many tasks as a template may depend on. */
function largestTask(): PlannedTask {
  const d = largestDefinition;
  return {
    taskId: 'a'.repeat(LIMITS.id),
    source: { triggerEventId: 'r'.repeat(LIMITS.id), trigger: d.trigger, subjectId: 's'.repeat(LIMITS.id), templateId: 't'.repeat(LIMITS.id), templateKey: d.key, templateVersion: 7 },
    name: d.name,
    description: d.description,
    priority: 'Critical',
    phase: d.phase,
    metadata: d.metadata,
    dueAt: '9999-12-31T23:59:59.999Z',
    dueDateBasis: { kind: 'fallback_trigger_time', missingField: `f${'_'.repeat(63)}` },
    assigneeId: 'u'.repeat(LIMITS.id),
    parentTaskId: 'p'.repeat(LIMITS.id),
    blockedBy: Array.from({ length: LIMITS.dependsOn }, (_, i) => `blocker-${i}`),
    initialStatus: 'To-Do',
    checklist: d.checklist,
    plannedHours: d.effortHours,
    allowCompleteWithOpenSubtasks: true,
  };
}

const taskHistory = () => {
  const small = plannedTask();
  const large = largestTask();
  const taskId = large.taskId;
  const item = large.checklist[0]!.itemKey;
  return [
    ...history(taskDecider, [
      { type: 'CreateTask', data: small, metadata: m() },
      { type: 'ChangeTaskStatus', data: { taskId: small.taskId, toStatus: 'In Progress', data: { via: ['app', 1] }, openChildTaskIds: [] }, metadata: m() },
      { type: 'MarkTaskOverdue', data: { taskId: small.taskId, dueAt: small.dueAt }, metadata: m() },
      { type: 'ChangeTaskStatus', data: { taskId: small.taskId, toStatus: 'Completed', openChildTaskIds: [] }, metadata: m() },
      { type: 'ArchiveTask', data: { taskId: small.taskId, reason: null }, metadata: m() },
    ]),
    ...history(taskDecider, [
      { type: 'CreateTask', data: large, metadata: m() },
      { type: 'AssignTask', data: { taskId, assigneeId: null, reason: longest(LIMITS.reason) }, metadata: m() },
      { type: 'RescheduleTask', data: { taskId, dueAt: '0001-01-01T00:00:00Z', reason: longest(LIMITS.reason) }, metadata: m() },
      { type: 'CompleteChecklistItem', data: { taskId, itemId: item }, metadata: m() },
      { type: 'ReopenChecklistItem', data: { taskId, itemId: item }, metadata: m() },
      { type: 'AssignChecklistItem', data: { taskId, itemId: item, assigneeId: 'u'.repeat(LIMITS.id) }, metadata: m() },
      { type: 'AddTaskComment', data: { taskId, commentId: 'c'.repeat(LIMITS.id), body: longest(LIMITS.commentBody), visibility: 'ClientVisible' }, metadata: m() },
      { type: 'LogTaskHours', data: { taskId, hours: '24.00', note: longest(LIMITS.reason) }, metadata: m() },
      ...large.blockedBy.map((blockerTaskId) => ({ type: 'MarkBlockerCompleted' as const, data: { taskId, blockerTaskId }, metadata: m() })),
      { type: 'ChangeTaskStatus', data: { taskId, toStatus: 'In Progress', data: document(MAX_TRANSITION_DATA_BYTES), openChildTaskIds: [] }, metadata: m() },
      { type: 'ArchiveTask', data: { taskId, reason: longest(LIMITS.reason) }, metadata: m() },
    ]),
  ];
};

const automationGuardHistory = () =>
  history(automationGuardDecider, [
    {
      type: 'RecordAutomationLoopStopped',
      data: { triggerEventId: 'r'.repeat(LIMITS.id), trigger: { kind: 'lead_status', statusId: UUID }, subjectId: 's'.repeat(LIMITS.id), depth: 1_000, reason: 'max_depth', detail: longest(LIMITS.reason) },
      metadata: m(),
    },
  ]);

/** The largest outcome: every list at its bound, every id and the message at their longest. */
const expansionHistory = () =>
  history(expansionOutcomeDecider, [
    {
      type: 'RecordExpansionOutcome',
      data: {
        triggerEventId: 'r'.repeat(LIMITS.id),
        trigger: { kind: 'event_type', eventTypeKey: 'venue.walkthrough.booked' },
        subjectId: 's'.repeat(LIMITS.id),
        outcome: 'completed',
        templateCount: MAX_EXPANSION_TASKS,
        taskIds: Array.from({ length: MAX_EXPANSION_TASKS }, (_, i) => `${i}`.padStart(LIMITS.id, 't')),
        created: MAX_EXPANSION_TASKS,
        alreadyExisted: 0,
        warnings: Array.from({ length: MAX_EXPANSION_TASKS }, () => ({ code: 'subject_date_missing' as const, templateKey: 'k'.repeat(LIMITS.key), field: 'f'.repeat(64) })),
        message: longest(LIMITS.reason),
      },
      metadata: m(),
    },
  ]);

/** The largest calendar: every weekday and ten years of holidays, each set again in another zone. */
const businessCalendarHistory = () => {
  const holidays = Array.from({ length: CALENDAR_LIMITS.holidays }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10));
  return history(businessCalendarDecider, [
    { type: 'SetBusinessCalendar', data: { calendar: { timezone: 'America/Argentina/ComodRivadavia', workingDays: [7, 6, 5, 4, 3, 2, 1], holidays } }, metadata: m() },
    { type: 'SetBusinessCalendar', data: { calendar: { timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], holidays: [] } }, metadata: m() },
  ]);
};

const historiesByAggregate: Record<TaskEnginePublishedAggregate, () => readonly TaskEngineEvent[]> = {
  eventTypes: eventTypesHistory,
  externalEvent: externalEventHistory,
  taskTemplate: taskTemplateHistory,
  task: taskHistory,
  automationGuard: automationGuardHistory,
  businessCalendar: businessCalendarHistory,
  expansion: expansionHistory,
};

describe('task-engine contracts', () => {
  it('routes every stream to its topic through the relay, telling task-template from task', () => {
    const route = (stream: string) => routeStream(stream, TASK_ENGINE_TOPIC_MAP);
    expect(route(TaskEngineStreams.task(UUID))).toEqual({ topic: 'tasks.task.v1', key: UUID });
    expect(route(TaskEngineStreams.taskTemplate(UUID))).toEqual({ topic: 'tasks.task-template.v1', key: UUID });
    expect(route(TaskEngineStreams.eventTypes('tenant-a'))).toEqual({ topic: 'tasks.event-type.v1', key: 'tenant-a' });
    expect(route(TaskEngineStreams.externalEvent(UUID))?.topic).toBe('tasks.external-event.v1');
    expect(route(TaskEngineStreams.expansion(UUID))).toEqual({ topic: 'tasks.expansion.v1', key: UUID });
    expect(route(TaskEngineStreams.automationGuard(UUID))?.topic).toBe('tasks.automation-guard.v1');
    expect(route(TaskEngineStreams.businessCalendar('tenant-a'))).toEqual({ topic: 'tasks.business-calendar.v1', key: 'tenant-a' });
    expect(route('lead-' + UUID)).toBeUndefined();
    expect(route('task-')).toBeUndefined();
  });

  it('offers the relay a topic map keyed by aggregate type', () => {
    expect(TASK_ENGINE_TOPIC_MAP).toEqual({
      'event-types': 'tasks.event-type.v1',
      'external-event': 'tasks.external-event.v1',
      'task-template': 'tasks.task-template.v1',
      task: 'tasks.task.v1',
      'automation-guard': 'tasks.automation-guard.v1',
      'business-calendar': 'tasks.business-calendar.v1',
      expansion: 'tasks.expansion.v1',
    });
  });

  describe('published event contracts (libs/contracts)', () => {
    it('match the deciders’ event types in the typecheck', () => {
      expect(contractsMatchEvents).toBe(true);
    });

    it('are published for exactly the topics the relay routes to', () => {
      expect(Object.keys(TASKS_TOPIC_CONTRACTS_V1).sort()).toEqual(Object.values(TASK_ENGINE_TOPICS).sort());
    });

    describe.each(Object.keys(TASK_ENGINE_TOPICS) as TaskEnginePublishedAggregate[])('on the %s topic', (aggregate) => {
      const contracts: EventContracts = TASKS_TOPIC_CONTRACTS_V1[TASK_ENGINE_TOPICS[aggregate] as keyof typeof TASKS_TOPIC_CONTRACTS_V1];
      const types: readonly TaskEngineEvent['type'][] = TASK_ENGINE_EVENT_NAMES[aggregate];

      it('publish a contract for exactly the event types of the aggregate, at the version the command handler stamps', () => {
        expect(Object.keys(contracts).sort()).toEqual([...types].sort());
        for (const type of types) expect([type, contracts[type]?.schemaVersion]).toEqual([type, TASK_ENGINE_SCHEMA_VERSIONS[type]]);
      });

      it('accept every event the decider emits, at the domain’s largest, as it travels (JSON)', () => {
        const events = historiesByAggregate[aggregate]();
        expect(new Set(events.map((e) => e.type))).toEqual(new Set(types));
        for (const event of events) {
          const parsed = contracts[event.type]!.schema.safeParse(JSON.parse(JSON.stringify(event.data)));
          expect([event.type, parsed]).toEqual([event.type, { success: true, data: event.data }]);
        }
      });
    });

    it('reject what the read model could not store, naming the field', () => {
      const [created] = taskHistory();
      const parsed = tasksEventContractsV1.TaskCreated.schema.safeParse({ ...created!.data, plannedHours: 1.5, dueAt: '+011476-08-15T05:20:00.000Z' });
      expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['dueAt', 'plannedHours']);
    });
  });

  describe('inbound external events (tasks.external-events.in.v1)', () => {
    const { ExternalEventInboundMessageV1, TASKS_EXTERNAL_EVENTS_INBOUND_TOPIC_V1 } = tasksExternalEventsInboundV1;
    const message = {
      schemaVersion: 1,
      tenantId: TENANT,
      idempotencyKey: 'form-4711',
      eventTypeKey: 'wedding.booked',
      subjectId: 'lead-1',
      occurredAt: '2025-06-14T11:30:00+02:00',
      payload: { event_date: '2025-09-20', guests: 120 },
    };

    it('is the topic the task-engine consumes', () => {
      expect(TASKS_EXTERNAL_EVENTS_INBOUND_TOPIC_V1).toBe(EXTERNAL_EVENTS_INBOUND_TOPIC);
    });

    it('accepts a well-formed message, at the domain’s largest', () => {
      expect(ExternalEventInboundMessageV1.parse(message)).toEqual(message);
      const largest = {
        ...message,
        tenantId: 't'.repeat(LIMITS.id),
        idempotencyKey: longest(LIMITS.idempotencyKey),
        subjectId: 's'.repeat(LIMITS.id),
        payload: document(MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1),
        occurredAt: NOW.toISOString(),
        actorId: 'a'.repeat(LIMITS.id),
        automationDepth: 100,
      };
      expect(ExternalEventInboundMessageV1.safeParse(largest).success).toBe(true);
    });

    it('rejects a wrong version, a bad key, a local time, a non-object payload and anything past a bound', () => {
      const result = ExternalEventInboundMessageV1.safeParse({
        ...message,
        schemaVersion: 2,
        eventTypeKey: 'Wedding Booked',
        occurredAt: '2025-06-14T11:30:00',
        payload: ['x'],
        idempotencyKey: 'k'.repeat(LIMITS.idempotencyKey + 1),
      });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['eventTypeKey', 'idempotencyKey', 'occurredAt', 'payload', 'schemaVersion']);
      expect(ExternalEventInboundMessageV1.safeParse({ ...message, payload: document(MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1 + 1) }).success).toBe(false);
    });
  });
});
