import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import type { PlannedTask } from '../expansion/expansion.planner';
import { ACTOR, meta, NOW_ISO, TENANT } from '../shared/command-metadata.fixtures';
import { BOOKED } from '../task-template/task-template.fixtures';
import type { TaskCommand } from './task.commands';
import { evolveTask, initialTaskState, taskDecider } from './task.decider';
import type { TaskCreated, TaskEvent, TaskStatusChanged } from './task.events';
import type { ChangeableTaskStatus, TaskStatus } from './task.status';

const spec = deciderSpecification(taskDecider);
const TASK = 'task-1';
const by = { by: ACTOR, at: NOW_ISO };
const fact = { tenantId: TENANT, taskId: TASK };

const planned: PlannedTask = {
  taskId: TASK,
  source: { triggerEventId: 'trigger-1', trigger: BOOKED, subjectId: 'lead-1', templateId: 'template-1', templateKey: 'send-contract', templateVersion: 3 },
  name: 'Send the contract',
  description: null,
  priority: 'High',
  phase: 'Booking',
  metadata: { channel: 'email' },
  dueAt: '2025-06-16T10:00:00.000Z',
  dueDateBasis: { kind: 'trigger_time' },
  assigneeId: 'user-anna',
  parentTaskId: null,
  blockedBy: [],
  initialStatus: 'Ready to Start',
  checklist: [
    { itemKey: 'draft', title: 'Draft it' },
    { itemKey: 'sign', title: 'Sign it' },
  ],
  plannedHours: '1.50',
  allowCompleteWithOpenSubtasks: false,
};

function createdFrom(p: PlannedTask): TaskCreated {
  const { initialStatus, ...rest } = p;
  return { type: 'TaskCreated', data: { tenantId: TENANT, ...rest, status: initialStatus, createdBy: ACTOR, createdAt: NOW_ISO } };
}
const created = createdFrom(planned);
const blocked = createdFrom({ ...planned, blockedBy: ['blocker-1', 'blocker-2'], initialStatus: 'To-Do' });

const cmd = <T extends TaskCommand['type']>(type: T, data: Extract<TaskCommand, { type: T }>['data']) =>
  ({ type, data, metadata: meta() }) as Extract<TaskCommand, { type: T }>;
const moveTo = (to: ChangeableTaskStatus, openChildTaskIds: string[] = [], data = {}) =>
  cmd('ChangeTaskStatus', { taskId: TASK, toStatus: to, data, openChildTaskIds });
const changed = (from: TaskStatus, to: TaskStatus, data = {}): TaskStatusChanged => ({
  type: 'TaskStatusChanged',
  data: { ...fact, from, to, data, ...by },
});
const inProgress: TaskEvent[] = [created, changed('Ready to Start', 'In Progress')];
const completed: TaskEvent[] = [...inProgress, changed('In Progress', 'Completed')];
const archived: TaskEvent = { type: 'TaskArchived', data: { ...fact, from: 'Completed', to: 'Archived', reason: null, ...by } };

describe('task', () => {
  describe('when it does not exist', () => {
    it('is created from its plan, carrying its template version', () => {
      spec.given([]).when(cmd('CreateTask', planned)).then([created]);
    });

    it('refuses a plan whose status contradicts its blockers', () => {
      spec
        .given([])
        .when(cmd('CreateTask', { ...planned, blockedBy: ['blocker-1'], initialStatus: 'Ready to Start' }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['initialStatus']);
    });

    it('refuses a task that blocks or parents itself, and float hours', () => {
      spec
        .given([])
        .when(cmd('CreateTask', { ...planned, blockedBy: [TASK], initialStatus: 'To-Do', parentTaskId: TASK, plannedHours: '1.5' }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['blockedBy[0]', 'parentTaskId', 'plannedHours']);
    });

    it('any other command is NOT_FOUND', () => {
      spec.given([]).when(moveTo('In Progress')).thenThrows(DomainErrorCode.NotFound);
    });
  });

  describe('when it was created', () => {
    it('creating it again from the same trigger and template is a no-op', () => {
      spec.given([created]).when(cmd('CreateTask', { ...planned, name: 'Newer name', source: { ...planned.source, templateVersion: 4 } })).then([]);
    });

    it('creating it from another source is ALREADY_EXISTS', () => {
      spec
        .given([created])
        .when(cmd('CreateTask', { ...planned, source: { ...planned.source, triggerEventId: 'trigger-2' } }))
        .thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('a command for another task id is refused', () => {
      spec.given([created]).when(cmd('ArchiveTask', { taskId: 'task-2' })).thenThrows(DomainErrorCode.InvalidArgument, ['taskId']);
    });
  });

  describe('when it is Ready to Start', () => {
    it('starts, recording who and the transition data', () => {
      spec
        .given([created])
        .when(moveTo('In Progress', [], { note: 'on it' }))
        .then([changed('Ready to Start', 'In Progress', { note: 'on it' })]);
    });

    it('cannot jump to Completed, naming from and to', () => {
      const error = spec.given([created]).when(moveTo('Completed')).thenThrows(DomainErrorCode.FailedPrecondition);
      expect(error.details).toMatchObject({ from: 'Ready to Start', to: 'Completed' });
    });

    it('refuses the status it already has (a transition to itself is no transition)', () => {
      spec.given([created]).when(moveTo('Ready to Start')).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('refuses an unknown target status', () => {
      spec
        .given([created])
        .when(moveTo('Archived' as ChangeableTaskStatus))
        .thenThrows(DomainErrorCode.InvalidArgument, ['toStatus']);
    });
  });

  describe('when it is In Progress', () => {
    it('pauses back to Ready to Start', () => {
      spec.given(inProgress).when(moveTo('Ready to Start')).then([changed('In Progress', 'Ready to Start')]);
    });

    it('completes when it has no open subtasks', () => {
      spec.given(inProgress).when(moveTo('Completed')).then([changed('In Progress', 'Completed')]);
    });

    it('does not complete while subtasks are open', () => {
      const error = spec.given(inProgress).when(moveTo('Completed', ['child-1'])).thenThrows(DomainErrorCode.FailedPrecondition);
      expect(error.details).toMatchObject({ from: 'In Progress', to: 'Completed', openChildTaskIds: ['child-1'] });
    });

    it('completes with open subtasks when its template allows it', () => {
      const lenient = createdFrom({ ...planned, allowCompleteWithOpenSubtasks: true });
      spec
        .given([lenient, changed('Ready to Start', 'In Progress')])
        .when(moveTo('Completed', ['child-1']))
        .then([changed('In Progress', 'Completed')]);
    });
  });

  describe('when it is To-Do with open blockers', () => {
    it('cannot be made ready by hand', () => {
      const error = spec.given([blocked]).when(moveTo('Ready to Start')).thenThrows(DomainErrorCode.FailedPrecondition);
      expect(error.details).toMatchObject({ from: 'To-Do', to: 'Ready to Start', openBlockers: ['blocker-1', 'blocker-2'] });
    });

    it('cannot start', () => {
      spec.given([blocked]).when(moveTo('In Progress')).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('stays To-Do while another blocker is open', () => {
      spec
        .given([blocked])
        .when(cmd('MarkBlockerCompleted', { taskId: TASK, blockerTaskId: 'blocker-1' }))
        .then([{ type: 'TaskBlockerCompleted', data: { ...fact, blockerTaskId: 'blocker-1', openBlockers: ['blocker-2'], ...by } }]);
    });

    it('becomes Ready to Start when the last blocker completes', () => {
      const first: TaskEvent = { type: 'TaskBlockerCompleted', data: { ...fact, blockerTaskId: 'blocker-1', openBlockers: ['blocker-2'], ...by } };
      spec
        .given([blocked, first])
        .when(cmd('MarkBlockerCompleted', { taskId: TASK, blockerTaskId: 'blocker-2' }))
        .then([
          { type: 'TaskBlockerCompleted', data: { ...fact, blockerTaskId: 'blocker-2', openBlockers: [], ...by } },
          {
            type: 'TaskBecameReady',
            data: { ...fact, from: 'To-Do', to: 'Ready to Start', completedBlockers: ['blocker-1', 'blocker-2'], ...by },
          },
        ]);
    });

    it('ignores a redelivered or unknown blocker', () => {
      const first: TaskEvent = { type: 'TaskBlockerCompleted', data: { ...fact, blockerTaskId: 'blocker-1', openBlockers: ['blocker-2'], ...by } };
      spec.given([blocked, first]).when(cmd('MarkBlockerCompleted', { taskId: TASK, blockerTaskId: 'blocker-1' })).then([]);
      spec.given([blocked]).when(cmd('MarkBlockerCompleted', { taskId: TASK, blockerTaskId: 'stranger' })).then([]);
    });
  });

  describe('when it is Completed', () => {
    it('cannot be reopened', () => {
      spec.given(completed).when(moveTo('In Progress')).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('cannot be reassigned or rescheduled', () => {
      spec.given(completed).when(cmd('AssignTask', { taskId: TASK, assigneeId: 'user-ben' })).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given(completed).when(cmd('RescheduleTask', { taskId: TASK, dueAt: null })).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('is archived, recording where from', () => {
      spec.given(completed).when(cmd('ArchiveTask', { taskId: TASK })).then([archived]);
    });
  });

  describe('when it is Archived', () => {
    it('refuses to archive again', () => {
      spec.given([...completed, archived]).when(cmd('ArchiveTask', { taskId: TASK })).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('takes no more work', () => {
      spec.given([...completed, archived]).when(cmd('LogTaskHours', { taskId: TASK, hours: '1' })).thenThrows(DomainErrorCode.FailedPrecondition);
      spec
        .given([...completed, archived])
        .when(cmd('CompleteChecklistItem', { taskId: TASK, itemId: 'draft' }))
        .thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('an open task can be archived unfinished (a lost lead)', () => {
      spec
        .given([created])
        .when(cmd('ArchiveTask', { taskId: TASK, reason: 'lead lost' }))
        .then([{ type: 'TaskArchived', data: { ...fact, from: 'Ready to Start', to: 'Archived', reason: 'lead lost', ...by } }]);
    });
  });

  describe('assignment and due date', () => {
    it('reassigns, recording the previous assignee and the reason', () => {
      spec
        .given([created])
        .when(cmd('AssignTask', { taskId: TASK, assigneeId: 'user-ben', reason: 'Anna is away' }))
        .then([{ type: 'TaskAssigned', data: { ...fact, assigneeId: 'user-ben', previousAssigneeId: 'user-anna', reason: 'Anna is away', ...by } }]);
    });

    it('assigning the same person is a no-op', () => {
      spec.given([created]).when(cmd('AssignTask', { taskId: TASK, assigneeId: 'user-anna' })).then([]);
    });

    it('reschedules, normalising the instant', () => {
      spec
        .given([created])
        .when(cmd('RescheduleTask', { taskId: TASK, dueAt: '2025-06-20T09:00:00+02:00' }))
        .then([
          {
            type: 'TaskRescheduled',
            data: { ...fact, dueAt: '2025-06-20T07:00:00.000Z', previousDueAt: '2025-06-16T10:00:00.000Z', reason: null, ...by },
          },
        ]);
    });

    it('refuses a due date without an offset', () => {
      spec.given([created]).when(cmd('RescheduleTask', { taskId: TASK, dueAt: '2025-06-20T09:00:00' })).thenThrows(DomainErrorCode.InvalidArgument, ['dueAt']);
    });
  });

  describe('overdue', () => {
    const DUE = '2025-06-16T10:00:00.000Z';
    const markOverdue = (dueAt = DUE) => cmd('MarkTaskOverdue', { taskId: TASK, dueAt });
    const markedOverdue: TaskEvent = { type: 'TaskMarkedOverdue', data: { ...fact, dueAt: DUE, ...by } };
    const rescheduled: TaskEvent = { type: 'TaskRescheduled', data: { ...fact, dueAt: '2025-06-20T07:00:00.000Z', previousDueAt: DUE, reason: null, ...by } };
    const overdueOf = (events: TaskEvent[]) => {
      const state = events.reduce(evolveTask, initialTaskState());
      return state.status === 'created' ? state.task.overdue : undefined;
    };

    it('flags an open task whose current due date passed, in any spelling of that instant', () => {
      spec.given([created]).when(markOverdue()).then([markedOverdue]);
      spec.given(inProgress).when(markOverdue('2025-06-16T12:00:00+02:00')).then([markedOverdue]);
      expect(overdueOf([created, markedOverdue])).toBe(true);
    });

    it('ignores a repeated alert for the same due date', () => {
      spec.given([created, markedOverdue]).when(markOverdue()).then([]);
    });

    it('ignores a stale alert: the due date moved, or was removed', () => {
      spec.given([created, rescheduled]).when(markOverdue()).then([]);
      const cleared: TaskEvent = { type: 'TaskRescheduled', data: { ...fact, dueAt: null, previousDueAt: DUE, reason: null, ...by } };
      spec.given([created, cleared]).when(markOverdue()).then([]);
    });

    it('ignores a completed or archived task', () => {
      spec.given(completed).when(markOverdue()).then([]);
      spec.given([...completed, archived]).when(markOverdue()).then([]);
    });

    it('is cleared by a reschedule, a completion or archiving, and kept by other changes', () => {
      expect(overdueOf([created])).toBe(false);
      expect(overdueOf([created, markedOverdue, rescheduled])).toBe(false);
      expect(overdueOf([created, markedOverdue, changed('Ready to Start', 'In Progress')])).toBe(true);
      expect(overdueOf([created, markedOverdue, changed('Ready to Start', 'Completed')])).toBe(false);
      expect(overdueOf([created, markedOverdue, { ...archived, data: { ...archived.data, from: 'Ready to Start' } }])).toBe(false);
    });

    it('refuses a due date without an offset and an unknown task', () => {
      spec.given([created]).when(markOverdue('2025-06-16T10:00:00')).thenThrows(DomainErrorCode.InvalidArgument, ['dueAt']);
      spec.given([]).when(markOverdue()).thenThrows(DomainErrorCode.NotFound);
    });
  });

  describe('checklist', () => {
    const draftDone: TaskEvent = { type: 'ChecklistItemCompleted', data: { ...fact, itemKey: 'draft', ...by } };

    it('completes an item once; completing it again, or reopening an open one, is no transition', () => {
      spec.given([created]).when(cmd('CompleteChecklistItem', { taskId: TASK, itemId: 'draft' })).then([draftDone]);
      spec.given([created, draftDone]).when(cmd('CompleteChecklistItem', { taskId: TASK, itemId: 'draft' })).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given([created]).when(cmd('ReopenChecklistItem', { taskId: TASK, itemId: 'draft' })).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('reopens a completed item', () => {
      spec
        .given([created, draftDone])
        .when(cmd('ReopenChecklistItem', { taskId: TASK, itemId: 'draft' }))
        .then([{ type: 'ChecklistItemReopened', data: { ...fact, itemKey: 'draft', ...by } }]);
    });

    it('assigns an item', () => {
      spec
        .given([created])
        .when(cmd('AssignChecklistItem', { taskId: TASK, itemId: 'sign', assigneeId: 'user-ben' }))
        .then([{ type: 'ChecklistItemAssigned', data: { ...fact, itemKey: 'sign', assigneeId: 'user-ben', previousAssigneeId: null, ...by } }]);
    });

    it('an unknown item is NOT_FOUND', () => {
      spec.given([created]).when(cmd('CompleteChecklistItem', { taskId: TASK, itemId: 'fly' })).thenThrows(DomainErrorCode.NotFound);
    });
  });

  describe('comments', () => {
    const comment: TaskEvent = {
      type: 'TaskCommentAdded',
      data: { ...fact, commentId: 'c-1', body: 'Client asked for Friday', visibility: 'ClientVisible', ...by },
    };
    const add = (body = 'Client asked for Friday', visibility: 'Internal' | 'ClientVisible' = 'ClientVisible') =>
      cmd('AddTaskComment', { taskId: TASK, commentId: 'c-1', body, visibility });

    it('adds a client-visible comment', () => {
      spec.given([created]).when(add()).then([comment]);
    });

    it('keeps the body trimmed, so the same words with other spacing are the same comment', () => {
      spec.given([created]).when(add('  Client asked for Friday \n')).then([comment]);
      spec.given([created, comment]).when(add(' Client asked for Friday')).then([]);
    });

    it('the same comment again is a no-op; a different one under its id is ALREADY_EXISTS', () => {
      spec.given([created, comment]).when(add()).then([]);
      spec.given([created, comment]).when(add('Changed', 'Internal')).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('refuses an empty body and an unknown visibility', () => {
      spec
        .given([created])
        .when(add('', 'Public' as 'Internal'))
        .thenThrows(DomainErrorCode.InvalidArgument, ['body', 'visibility']);
    });
  });

  describe('hours', () => {
    const logged = (hours: string, actualTotal: string): TaskEvent => ({
      type: 'TaskHoursLogged',
      data: { ...fact, hours, actualTotal, plannedHours: '1.50', note: null, ...by },
    });

    it('adds logged hours exactly, as decimal strings', () => {
      spec.given([created]).when(cmd('LogTaskHours', { taskId: TASK, hours: '0.1' })).then([logged('0.10', '0.10')]);
      spec.given([created, logged('0.10', '0.10')]).when(cmd('LogTaskHours', { taskId: TASK, hours: '0.2' })).then([logged('0.20', '0.30')]);
    });

    it('refuses zero, negative, over-precise and over-long entries', () => {
      for (const hours of ['0', '-1', '1.234', '25', 'NaN', '1e2']) {
        spec.given([created]).when(cmd('LogTaskHours', { taskId: TASK, hours })).thenThrows(DomainErrorCode.InvalidArgument, ['hours']);
      }
    });
  });
});
