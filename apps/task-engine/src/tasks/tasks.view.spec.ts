import type { RecordedEvent } from '@projectflo/platform/core';
import { taskDecider, type TaskEvent } from '@projectflo/task-engine/domain';
import { evolveTaskView, taskToProto, type TaskView } from './tasks.view';

const TASK = '0b6f9c1e-7d8a-5f3b-9e2c-4a1d6b8c0e3f';
const BLOCKER = '1b6f9c1e-7d8a-5f3b-9e2c-4a1d6b8c0e3f';
const by = { by: 'user-ops', at: '2026-11-21T09:00:00.000Z' };

function recorded(events: TaskEvent[]): RecordedEvent[] {
  return events.map((event, i) => ({
    eventId: `e-${i}`,
    type: event.type,
    data: event.data,
    schemaVersion: 1,
    metadata: { tenantId: 'tenant-a', actorId: 'user-ops', requestId: `r-${i}`, correlationId: 'c', causationId: 'c', occurredAt: `2026-11-21T09:0${i}:00.000Z` },
    streamName: `task-${TASK}`,
    streamPosition: i + 1,
    globalPosition: { commit: '1', prepare: String(i) },
    recordedAt: '2026-11-21T09:00:00.000Z',
  }));
}

const fold = (events: readonly RecordedEvent[]) => events.reduce<TaskView | undefined>(evolveTaskView, undefined);

describe('a task folded from its stream (read model, command replies, rebuild)', () => {
  const created: TaskEvent = {
    type: 'TaskCreated',
    data: {
      tenantId: 'tenant-a',
      taskId: TASK,
      source: { triggerEventId: 'ev-1', trigger: { kind: 'lead_status', statusId: 's-1' }, subjectId: 'lead-1', templateId: 'tpl-1', templateKey: 'send-contract', templateVersion: 2 },
      name: 'Send the contract',
      description: null,
      priority: 'High',
      phase: null,
      metadata: {},
      dueAt: '2027-03-06T09:00:00.000Z',
      dueDateBasis: { kind: 'subject_date', field: 'event_date', date: '2027-03-20' },
      assigneeId: 'user-ann',
      parentTaskId: null,
      blockedBy: [BLOCKER],
      status: 'To-Do',
      checklist: [{ itemKey: 'fee', title: 'Fee' }],
      plannedHours: '1.50',
      allowCompleteWithOpenSubtasks: false,
      createdBy: 'system:task-engine',
      createdAt: '2026-11-20T10:00:00.000Z',
    },
  };

  const history = recorded([
    created,
    { type: 'TaskBlockerCompleted', data: { tenantId: 'tenant-a', taskId: TASK, blockerTaskId: BLOCKER, openBlockers: [], ...by } },
    { type: 'TaskBecameReady', data: { tenantId: 'tenant-a', taskId: TASK, from: 'To-Do', to: 'Ready to Start', completedBlockers: [BLOCKER], ...by } },
    { type: 'ChecklistItemCompleted', data: { tenantId: 'tenant-a', taskId: TASK, itemKey: 'fee', ...by } },
    { type: 'TaskHoursLogged', data: { tenantId: 'tenant-a', taskId: TASK, hours: '0.75', actualTotal: '0.75', plannedHours: '1.50', note: null, ...by } },
    { type: 'TaskAssigned', data: { tenantId: 'tenant-a', taskId: TASK, assigneeId: null, previousAssigneeId: 'user-ann', reason: null, ...by } },
  ]);

  it('follows blockers, readiness, checklist, hours and reassignment, at the stream version', () => {
    const proto = taskToProto(fold(history)!);
    expect(proto).toMatchObject({
      status: 'TASK_STATUS_READY_TO_START',
      leadId: 'lead-1',
      templateRevision: 2,
      blockedByTaskIds: [BLOCKER],
      openBlockerTaskIds: [],
      assigneeIds: [],
      actualHours: '0.75',
      version: '6',
      updatedAt: { seconds: String(Date.parse(by.at) / 1000), nanos: 0 },
      dueAt: { seconds: String(Date.parse('2027-03-06T09:00:00Z') / 1000), nanos: 0 },
    });
    expect(proto.checklistItems).toEqual([
      { itemId: 'fee', title: 'Fee', position: 0, assigneeId: '', completed: true, completedBy: 'user-ops', completedAt: { seconds: String(Date.parse(by.at) / 1000), nanos: 0 } },
    ]);
  });

  it('is the task the decider decides on, at the stream version', () => {
    const state = history.reduce((s, e) => taskDecider.evolve(s, { type: e.type, data: e.data } as TaskEvent), taskDecider.initialState());
    expect(fold(history)).toEqual({ task: state.status === 'created' ? state.task : undefined, version: history.length });
  });

  it('is undefined for a stream without TaskCreated', () => {
    expect(fold([])).toBeUndefined();
    expect(fold(history.slice(1))).toBeUndefined();
  });
});
