import { planExpansion } from '../expansion/expansion.planner';
import { meta, TENANT } from '../shared/command-metadata.fixtures';
import { evolveTask, initialTaskState, taskDecider } from '../task/task.decider';
import type { TaskCommand } from '../task/task.commands';
import type { TaskEvent } from '../task/task.events';
import { templateVersion } from '../task-template/task-template.fixtures';
import { externalEventInboundMessageV1 } from './external-event-inbound.schema';
import { TASK_ENGINE_SCHEMA_VERSIONS } from './task-engine.event-names';
import { routeStream } from '@projectflo/platform/messaging';
import { TASK_ENGINE_TOPIC_MAP, TaskEngineStreams } from './task-engine.streams';
import { TASK_EVENT_PAYLOAD_SCHEMAS } from './task-event.schemas';

const UUID = '0b6f9c1e-7d8a-5f3b-9e2c-4a1d6b8c0e3f';

describe('task-engine contracts', () => {
  it('routes every stream to its topic through the relay, telling task-template from task', () => {
    const route = (stream: string) => routeStream(stream, TASK_ENGINE_TOPIC_MAP);
    expect(route(TaskEngineStreams.task(UUID))).toEqual({ topic: 'tasks.task.v1', key: UUID });
    expect(route(TaskEngineStreams.taskTemplate(UUID))).toEqual({ topic: 'tasks.task-template.v1', key: UUID });
    expect(route(TaskEngineStreams.eventTypes('tenant-a'))).toEqual({ topic: 'tasks.event-type.v1', key: 'tenant-a' });
    expect(route(TaskEngineStreams.externalEvent(UUID))?.topic).toBe('tasks.external-event.v1');
    expect(route(TaskEngineStreams.automationGuard(UUID))?.topic).toBe('tasks.automation-guard.v1');
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
    });
    expect(TASK_ENGINE_SCHEMA_VERSIONS.TaskCreated).toBe(1);
  });

  it('the published payload schemas accept what the task decider emits', () => {
    const trigger = {
      kind: 'event_type' as const,
      eventTypeKey: 'wedding.booked',
      triggerEventId: 'ext-1',
      occurredAt: '2025-06-14T09:00:00Z',
      subjectId: 'lead-1',
      subject: { dates: { event_date: '2025-09-20' } },
    };
    const [planned] = planExpansion({
      tenantId: TENANT,
      trigger,
      templates: [
        templateVersion({
          trigger: { kind: 'event_type', eventTypeKey: 'wedding.booked' },
          dueOffset: { days: 3, hours: 9, businessDays: true, direction: 'before', anchor: { kind: 'subject_date', field: 'event_date' } },
          checklist: [{ itemKey: 'draft', title: 'Draft' }],
        }),
      ],
      calendar: { timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], holidays: [] },
    }).tasks;
    const taskId = planned!.taskId;
    const commands: TaskCommand[] = [
      { type: 'CreateTask', data: planned!, metadata: meta() },
      { type: 'AssignTask', data: { taskId, assigneeId: 'user-ben', reason: null }, metadata: meta() },
      { type: 'RescheduleTask', data: { taskId, dueAt: '2025-09-01T08:00:00Z' }, metadata: meta() },
      { type: 'AddTaskComment', data: { taskId, commentId: 'c-1', body: 'hi', visibility: 'Internal' }, metadata: meta() },
      { type: 'ChangeTaskStatus', data: { taskId, to: 'In Progress', data: { via: ['app', 1] }, openChildTaskIds: [] }, metadata: meta() },
      { type: 'ArchiveTask', data: { taskId, reason: 'lead lost' }, metadata: meta() },
    ];
    let state = initialTaskState();
    const events: TaskEvent[] = [];
    for (const command of commands) {
      const decided = taskDecider.decide(command, state);
      state = decided.reduce(evolveTask, state);
      events.push(...decided);
    }
    expect(events.map((e) => e.type)).toEqual(['TaskCreated', 'TaskAssigned', 'TaskRescheduled', 'TaskCommentAdded', 'TaskStatusChanged', 'TaskArchived']);
    for (const event of events) {
      const schema = TASK_EVENT_PAYLOAD_SCHEMAS[event.type as keyof typeof TASK_EVENT_PAYLOAD_SCHEMAS];
      expect(schema.safeParse(event.data)).toMatchObject({ success: true });
    }
    expect(TASK_EVENT_PAYLOAD_SCHEMAS.TaskCreated.safeParse({ ...events[0]!.data, plannedHours: 1.5 }).success).toBe(false);
  });

  describe('inbound external events', () => {
    const message = {
      schemaVersion: 1,
      tenantId: TENANT,
      idempotencyKey: 'form-4711',
      eventTypeKey: 'wedding.booked',
      subjectId: 'lead-1',
      occurredAt: '2025-06-14T11:30:00+02:00',
      payload: { event_date: '2025-09-20', guests: 120 },
    };

    it('accepts a well-formed message', () => {
      expect(externalEventInboundMessageV1.parse(message)).toEqual(message);
    });

    it('rejects a wrong version, a bad key, a local time and a non-object payload', () => {
      const result = externalEventInboundMessageV1.safeParse({
        ...message,
        schemaVersion: 2,
        eventTypeKey: 'Wedding Booked',
        occurredAt: '2025-06-14T11:30:00',
        payload: ['x'],
      });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['eventTypeKey', 'occurredAt', 'payload', 'schemaVersion']);
    });
  });
});
