import { assertNever, DomainError, type CommandMetadata, defineDecider, Violations } from '@projectflo/platform/core';
import type { DueDateBasis, PlannedTask, TaskSource } from '../expansion/expansion.planner';
import { addHours, parseHours, type DecimalString } from '../shared/hours';
import { isJsonObject, utf8ByteLength, type JsonObject } from '../shared/json';
import { parseInstant, toInstantString } from '../shared/time';
import { LIMITS, SLUG_RULE } from '../shared/text-limits';
import { TASK_PRIORITIES, type TaskPriority } from '../task-template/task-template.definition';
import type {
  AddTaskComment,
  ArchiveTask,
  AssignChecklistItem,
  AssignTask,
  ChangeTaskStatus,
  CompleteChecklistItem,
  CreateTask,
  LogTaskHours,
  MarkBlockerCompleted,
  MarkTaskOverdue,
  ReopenChecklistItem,
  RescheduleTask,
  TaskCommand,
} from './task.commands';
import type { TaskEvent } from './task.events';
import { CHANGEABLE_TASK_STATUSES, COMMENT_VISIBILITIES, isTaskTransitionAllowed, type CommentVisibility, type TaskStatus } from './task.status';

export const MAX_TRANSITION_DATA_BYTES = 16 * 1024;
/** One log entry covers at most a day of work. */
export const MAX_HOURS_PER_ENTRY = '24.00';

export interface ChecklistItemState {
  readonly itemKey: string;
  readonly title: string;
  readonly assigneeId: string | null;
  readonly completed: boolean;
  readonly completedBy: string | null;
  readonly completedAt: string | null;
}

/**
 * A task as its stream tells it: what the decider decides on, and what the read model stores and
 * a command replies with (the one fold of a task; the app adds only its stream version).
 */
export interface TaskSnapshot {
  readonly taskId: string;
  readonly tenantId: string;
  readonly source: TaskSource;
  readonly status: TaskStatus;
  readonly name: string;
  readonly description: string | null;
  readonly priority: TaskPriority;
  readonly phase: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly dueAt: string | null;
  readonly dueDateBasis: DueDateBasis;
  readonly assigneeId: string | null;
  readonly parentTaskId: string | null;
  /** Every blocker the task was planned with, in plan order. */
  readonly blockedBy: readonly string[];
  readonly openBlockers: readonly string[];
  readonly completedBlockers: readonly string[];
  /** In the template's order (an item's position is its index). */
  readonly checklist: readonly ChecklistItemState[];
  readonly comments: Readonly<Record<string, { readonly body: string; readonly visibility: CommentVisibility }>>;
  readonly plannedHours: DecimalString;
  readonly actualHours: DecimalString;
  readonly allowCompleteWithOpenSubtasks: boolean;
  /** Open past its due date (TaskMarkedOverdue); a reschedule, completion or archiving clears it. */
  readonly overdue: boolean;
  readonly createdAt: string;
  /** When the last event of the task happened. */
  readonly updatedAt: string;
}

export type TaskState = { readonly status: 'none' } | { readonly status: 'created'; readonly task: TaskSnapshot };

export const initialTaskState = (): TaskState => ({ status: 'none' });

export function evolveTask(state: TaskState, event: TaskEvent): TaskState {
  if (event.type === 'TaskCreated') {
    if (state.status === 'created') return state;
    const d = event.data;
    return {
      status: 'created',
      task: {
        taskId: d.taskId,
        tenantId: d.tenantId,
        source: d.source,
        status: d.status,
        name: d.name,
        description: d.description,
        priority: d.priority,
        phase: d.phase,
        metadata: d.metadata,
        dueAt: d.dueAt,
        dueDateBasis: d.dueDateBasis,
        assigneeId: d.assigneeId,
        parentTaskId: d.parentTaskId,
        blockedBy: d.blockedBy,
        openBlockers: d.blockedBy,
        completedBlockers: [],
        checklist: d.checklist.map((item) => ({ ...item, assigneeId: null, completed: false, completedBy: null, completedAt: null })),
        comments: {},
        plannedHours: d.plannedHours,
        actualHours: '0.00',
        allowCompleteWithOpenSubtasks: d.allowCompleteWithOpenSubtasks,
        overdue: false,
        createdAt: d.createdAt,
        updatedAt: d.createdAt,
      },
    };
  }
  if (state.status === 'none') return state;
  const task = state.task;
  const next = (changes: Partial<TaskSnapshot>): TaskState => ({ status: 'created', task: { ...task, ...changes, updatedAt: event.data.at } });
  const item = (itemKey: string, change: Partial<ChecklistItemState>) =>
    task.checklist.map((i) => (i.itemKey === itemKey ? { ...i, ...change } : i));
  switch (event.type) {
    case 'TaskStatusChanged':
      return next({ status: event.data.to, overdue: task.overdue && event.data.to !== 'Completed' });
    case 'TaskBlockerCompleted':
      return next({
        openBlockers: event.data.openBlockers,
        completedBlockers: [...task.completedBlockers, event.data.blockerTaskId],
      });
    case 'TaskBecameReady':
      return next({ status: event.data.to });
    case 'TaskAssigned':
      return next({ assigneeId: event.data.assigneeId });
    case 'TaskRescheduled':
      return next({ dueAt: event.data.dueAt, overdue: false });
    case 'ChecklistItemCompleted':
      return next({ checklist: item(event.data.itemKey, { completed: true, completedBy: event.data.by, completedAt: event.data.at }) });
    case 'ChecklistItemReopened':
      return next({ checklist: item(event.data.itemKey, { completed: false, completedBy: null, completedAt: null }) });
    case 'ChecklistItemAssigned':
      return next({ checklist: item(event.data.itemKey, { assigneeId: event.data.assigneeId }) });
    case 'TaskCommentAdded':
      return next({
        comments: { ...task.comments, [event.data.commentId]: { body: event.data.body, visibility: event.data.visibility } },
      });
    case 'TaskHoursLogged':
      return next({ actualHours: event.data.actualTotal });
    case 'TaskArchived':
      return next({ status: 'Archived', overdue: false });
    case 'TaskMarkedOverdue':
      return next({ overdue: true });
    default:
      return assertNever(event, 'task event');
  }
}

const authored = (metadata: CommandMetadata) => ({ by: metadata.actorId, at: toInstantString(metadata.now) });

function existing(state: TaskState, taskId: unknown): TaskSnapshot {
  const v = new Violations();
  const id = v.identifier('taskId', taskId, LIMITS.id);
  v.throwIfAny();
  if (state.status === 'none') throw DomainError.notFound('task', id);
  if (state.task.taskId !== id) throw DomainError.invalid({ field: 'taskId', description: 'does not match the task stream' });
  return state.task;
}

/** Closed tasks keep their history; these commands would rewrite what is done. */
function requireOpen(task: TaskSnapshot, action: string, closed: readonly TaskStatus[] = ['Archived']): void {
  if (closed.includes(task.status)) {
    throw DomainError.precondition(`cannot ${action}: task ${task.taskId} is ${task.status}`, { taskId: task.taskId, status: task.status });
  }
}

function decideCreate(command: CreateTask, state: TaskState): TaskEvent[] {
  const p = command.data;
  validatePlannedTask(p);
  if (state.status === 'created') {
    const prior = state.task.source;
    // The same (trigger event, template) planned again — a retry or a redelivery — changes nothing,
    // even when the template has a newer version by now: tasks already made are never rewritten.
    if (prior.triggerEventId === p.source.triggerEventId && prior.templateId === p.source.templateId) return [];
    throw DomainError.alreadyExists('task', p.taskId);
  }
  const { metadata } = command;
  return [
    {
      type: 'TaskCreated',
      data: {
        tenantId: metadata.tenantId,
        taskId: p.taskId,
        source: p.source,
        name: p.name,
        description: p.description,
        priority: p.priority,
        phase: p.phase,
        metadata: p.metadata,
        dueAt: toInstantString(parseInstant(p.dueAt)!),
        dueDateBasis: p.dueDateBasis,
        assigneeId: p.assigneeId,
        parentTaskId: p.parentTaskId,
        blockedBy: p.blockedBy,
        status: p.initialStatus,
        checklist: p.checklist,
        plannedHours: p.plannedHours,
        allowCompleteWithOpenSubtasks: p.allowCompleteWithOpenSubtasks,
        createdBy: metadata.actorId,
        createdAt: toInstantString(metadata.now),
      },
    },
  ];
}

function validatePlannedTask(p: PlannedTask): void {
  const v = new Violations();
  const taskId = v.identifier('taskId', p?.taskId, LIMITS.id);
  v.identifier('source.triggerEventId', p?.source?.triggerEventId, LIMITS.id);
  v.identifier('source.templateId', p?.source?.templateId, LIMITS.id);
  v.identifier('source.subjectId', p?.source?.subjectId, LIMITS.id);
  v.text('source.templateKey', p?.source?.templateKey, SLUG_RULE);
  v.integer('source.templateVersion', p?.source?.templateVersion, { min: 1 });
  v.text('name', p?.name, { required: true, max: LIMITS.name });
  v.oneOf('priority', p?.priority, TASK_PRIORITIES);
  if (!parseInstant(p?.dueAt)) v.add('dueAt', 'must be an ISO-8601 instant with an offset');
  if (p?.assigneeId !== null) v.identifier('assigneeId', p?.assigneeId, LIMITS.id);
  // An id that is not there ('' from the collector) is reported as such, not as a self-reference.
  const isOwnId = (id: string) => id !== '' && id === taskId;
  if (p?.parentTaskId !== null && isOwnId(v.identifier('parentTaskId', p?.parentTaskId, LIMITS.id))) {
    v.add('parentTaskId', 'a task cannot be its own parent');
  }
  const blockedBy: readonly unknown[] = Array.isArray(p?.blockedBy) ? p.blockedBy : [];
  if (!Array.isArray(p?.blockedBy)) v.add('blockedBy', 'must be a list of task ids');
  blockedBy.forEach((id, i) => {
    if (isOwnId(v.identifier(`blockedBy[${i}]`, id, LIMITS.id))) v.add(`blockedBy[${i}]`, 'a task cannot block itself');
  });
  const expected = blockedBy.length > 0 ? 'To-Do' : 'Ready to Start';
  if (p?.initialStatus !== expected) v.add('initialStatus', `must be ${expected} for a task with ${blockedBy.length} blockers`);
  if (!Array.isArray(p?.checklist)) v.add('checklist', 'must be a list');
  else
    p.checklist.forEach((item, i) => {
      v.text(`checklist[${i}].itemKey`, item?.itemKey, SLUG_RULE);
      v.text(`checklist[${i}].title`, item?.title, { required: true, max: LIMITS.checklistTitle });
    });
  const hours = parseHours(v, p?.plannedHours, 'plannedHours', { allowZero: true });
  if (hours !== undefined && hours !== p.plannedHours) v.add('plannedHours', 'must be canonical, with two decimal places');
  v.throwIfAny();
}

function decideChangeStatus(command: ChangeTaskStatus, state: TaskState): TaskEvent[] {
  const task = existing(state, command.data.taskId);
  const { data = {}, openChildTaskIds } = command.data;
  const v = new Violations();
  const to = v.oneOf('toStatus', command.data.toStatus, CHANGEABLE_TASK_STATUSES);
  if (!isJsonObject(data)) v.add('data', 'must be a JSON object');
  else if (utf8ByteLength(JSON.stringify(data)) > MAX_TRANSITION_DATA_BYTES) {
    v.add('data', `must be at most ${MAX_TRANSITION_DATA_BYTES} bytes as JSON`);
  }
  if (!Array.isArray(openChildTaskIds)) v.add('openChildTaskIds', 'must be a list of task ids');
  v.throwIfAny();

  if (task.status === to) {
    throw DomainError.precondition(`task ${task.taskId} is already ${to}`, { taskId: task.taskId, from: task.status, to });
  }
  if (!isTaskTransitionAllowed(task.status, to)) {
    throw DomainError.precondition(`task ${task.taskId} cannot move from ${task.status} to ${to}`, {
      taskId: task.taskId,
      from: task.status,
      to,
    });
  }
  if (to === 'Ready to Start' && task.status === 'To-Do' && task.openBlockers.length > 0) {
    throw DomainError.precondition(`task ${task.taskId} cannot move from To-Do to Ready to Start: it has open blockers`, {
      taskId: task.taskId,
      from: task.status,
      to,
      openBlockers: task.openBlockers,
    });
  }
  if (to === 'Completed' && openChildTaskIds.length > 0 && !task.allowCompleteWithOpenSubtasks) {
    throw DomainError.precondition(
      `task ${task.taskId} cannot move from ${task.status} to Completed: ${openChildTaskIds.length} subtasks are still open`,
      { taskId: task.taskId, from: task.status, to, openChildTaskIds },
    );
  }
  return [
    {
      type: 'TaskStatusChanged',
      data: { tenantId: task.tenantId, taskId: task.taskId, from: task.status, to, data: data as JsonObject, ...authored(command.metadata) },
    },
  ];
}

function decideBlockerCompleted(command: MarkBlockerCompleted, state: TaskState): TaskEvent[] {
  const task = existing(state, command.data.taskId);
  const v = new Violations();
  const blockerTaskId = v.identifier('blockerTaskId', command.data.blockerTaskId, LIMITS.id);
  v.throwIfAny();
  // Redelivered or unknown blockers and archived tasks change nothing: this arrives from automation.
  if (!task.openBlockers.includes(blockerTaskId) || task.status === 'Archived') return [];
  const openBlockers = task.openBlockers.filter((id) => id !== blockerTaskId);
  const by = authored(command.metadata);
  const events: TaskEvent[] = [
    { type: 'TaskBlockerCompleted', data: { tenantId: task.tenantId, taskId: task.taskId, blockerTaskId, openBlockers, ...by } },
  ];
  if (openBlockers.length === 0 && task.status === 'To-Do') {
    events.push({
      type: 'TaskBecameReady',
      data: {
        tenantId: task.tenantId,
        taskId: task.taskId,
        from: 'To-Do',
        to: 'Ready to Start',
        completedBlockers: [...task.completedBlockers, blockerTaskId],
        ...by,
      },
    });
  }
  return events;
}

function decideAssign(command: AssignTask, state: TaskState): TaskEvent[] {
  const task = existing(state, command.data.taskId);
  const v = new Violations();
  const { assigneeId } = command.data;
  if (assigneeId !== null) v.identifier('assigneeId', assigneeId, LIMITS.id);
  const reason = v.optionalText('reason', command.data.reason, { max: LIMITS.reason });
  v.throwIfAny();
  requireOpen(task, 'reassign', ['Completed', 'Archived']);
  if (task.assigneeId === assigneeId) return [];
  return [
    {
      type: 'TaskAssigned',
      data: {
        tenantId: task.tenantId,
        taskId: task.taskId,
        assigneeId,
        previousAssigneeId: task.assigneeId,
        reason,
        ...authored(command.metadata),
      },
    },
  ];
}

function decideReschedule(command: RescheduleTask, state: TaskState): TaskEvent[] {
  const task = existing(state, command.data.taskId);
  const v = new Violations();
  const parsed = command.data.dueAt === null ? null : parseInstant(command.data.dueAt);
  if (parsed === undefined) v.add('dueAt', 'must be an ISO-8601 instant with an offset, or null to clear it');
  const reason = v.optionalText('reason', command.data.reason, { max: LIMITS.reason });
  v.throwIfAny();
  requireOpen(task, 'reschedule', ['Completed', 'Archived']);
  const dueAt = parsed ? toInstantString(parsed) : null;
  if (task.dueAt === dueAt) return [];
  return [
    {
      type: 'TaskRescheduled',
      data: { tenantId: task.tenantId, taskId: task.taskId, dueAt, previousDueAt: task.dueAt, reason, ...authored(command.metadata) },
    },
  ];
}

function checklistItem(task: TaskSnapshot, itemId: unknown): ChecklistItemState {
  const v = new Violations();
  const itemKey = v.text('itemId', itemId, SLUG_RULE);
  v.throwIfAny();
  const item = task.checklist.find((i) => i.itemKey === itemKey);
  if (!item) throw DomainError.notFound('checklist item', `${task.taskId}/${itemKey}`);
  return item;
}

function decideChecklistState(command: CompleteChecklistItem | ReopenChecklistItem, state: TaskState): TaskEvent[] {
  const task = existing(state, command.data.taskId);
  const item = checklistItem(task, command.data.itemId);
  requireOpen(task, 'change the checklist');
  const completing = command.type === 'CompleteChecklistItem';
  if (item.completed === completing) {
    const state = completing ? 'completed' : 'open';
    throw DomainError.precondition(`checklist item ${item.itemKey} of task ${task.taskId} is already ${state}`, { taskId: task.taskId, itemKey: item.itemKey });
  }
  const data = { tenantId: task.tenantId, taskId: task.taskId, itemKey: item.itemKey, ...authored(command.metadata) };
  return [completing ? { type: 'ChecklistItemCompleted', data } : { type: 'ChecklistItemReopened', data }];
}

function decideChecklistAssign(command: AssignChecklistItem, state: TaskState): TaskEvent[] {
  const task = existing(state, command.data.taskId);
  const item = checklistItem(task, command.data.itemId);
  const v = new Violations();
  const { assigneeId } = command.data;
  if (assigneeId !== null) v.identifier('assigneeId', assigneeId, LIMITS.id);
  v.throwIfAny();
  requireOpen(task, 'change the checklist');
  if (item.assigneeId === assigneeId) return [];
  return [
    {
      type: 'ChecklistItemAssigned',
      data: {
        tenantId: task.tenantId,
        taskId: task.taskId,
        itemKey: item.itemKey,
        assigneeId,
        previousAssigneeId: item.assigneeId,
        ...authored(command.metadata),
      },
    },
  ];
}

function decideComment(command: AddTaskComment, state: TaskState): TaskEvent[] {
  const task = existing(state, command.data.taskId);
  const v = new Violations();
  const commentId = v.identifier('commentId', command.data.commentId, LIMITS.id);
  const body = v.text('body', command.data.body, { required: true, max: LIMITS.commentBody });
  const visibility = v.oneOf('visibility', command.data.visibility, COMMENT_VISIBILITIES);
  v.throwIfAny();
  requireOpen(task, 'comment');
  const prior = task.comments[commentId];
  if (prior) {
    if (prior.body === body && prior.visibility === visibility) return [];
    throw DomainError.alreadyExists('comment', commentId);
  }
  return [
    {
      type: 'TaskCommentAdded',
      data: { tenantId: task.tenantId, taskId: task.taskId, commentId, body, visibility, ...authored(command.metadata) },
    },
  ];
}

function decideLogHours(command: LogTaskHours, state: TaskState): TaskEvent[] {
  const task = existing(state, command.data.taskId);
  const v = new Violations();
  const hours = parseHours(v, command.data.hours, 'hours', { allowZero: false, max: MAX_HOURS_PER_ENTRY });
  const note = v.optionalText('note', command.data.note, { max: LIMITS.reason });
  v.throwIfAny();
  requireOpen(task, 'log hours');
  return [
    {
      type: 'TaskHoursLogged',
      data: {
        tenantId: task.tenantId,
        taskId: task.taskId,
        hours: hours!,
        actualTotal: addHours(task.actualHours, hours!),
        plannedHours: task.plannedHours,
        note,
        ...authored(command.metadata),
      },
    },
  ];
}

function decideArchive(command: ArchiveTask, state: TaskState): TaskEvent[] {
  const task = existing(state, command.data.taskId);
  const v = new Violations();
  const reason = v.optionalText('reason', command.data.reason, { max: LIMITS.reason });
  v.throwIfAny();
  if (task.status === 'Archived') {
    throw DomainError.precondition(`task ${task.taskId} is already Archived`, { taskId: task.taskId, from: task.status, to: 'Archived' });
  }
  return [
    {
      type: 'TaskArchived',
      data: { tenantId: task.tenantId, taskId: task.taskId, from: task.status, to: 'Archived', reason, ...authored(command.metadata) },
    },
  ];
}

function decideMarkOverdue(command: MarkTaskOverdue, state: TaskState): TaskEvent[] {
  const task = existing(state, command.data.taskId);
  const v = new Violations();
  const dueAt = parseInstant(command.data.dueAt);
  if (!dueAt) v.add('dueAt', 'must be an ISO-8601 instant with an offset');
  v.throwIfAny();
  // A closed task is not overdue, and an alert for a due date the task no longer has is stale.
  if (task.status === 'Completed' || task.status === 'Archived' || task.overdue) return [];
  if (task.dueAt !== toInstantString(dueAt!)) return [];
  return [
    {
      type: 'TaskMarkedOverdue',
      data: { tenantId: task.tenantId, taskId: task.taskId, dueAt: task.dueAt, ...authored(command.metadata) },
    },
  ];
}

export const taskDecider = defineDecider<TaskState, TaskCommand, TaskEvent>({
  aggregate: 'task',
  schemaVersions: {
    TaskCreated: 1,
    TaskStatusChanged: 1,
    TaskBlockerCompleted: 1,
    TaskBecameReady: 1,
    TaskAssigned: 1,
    TaskRescheduled: 1,
    ChecklistItemCompleted: 1,
    ChecklistItemReopened: 1,
    ChecklistItemAssigned: 1,
    TaskCommentAdded: 1,
    TaskHoursLogged: 1,
    TaskArchived: 1,
    TaskMarkedOverdue: 1,
  },
  initialState: initialTaskState,
  evolve: evolveTask,
  decide(command, state) {
    switch (command.type) {
      case 'CreateTask':
        return decideCreate(command, state);
      case 'ChangeTaskStatus':
        return decideChangeStatus(command, state);
      case 'MarkBlockerCompleted':
        return decideBlockerCompleted(command, state);
      case 'AssignTask':
        return decideAssign(command, state);
      case 'RescheduleTask':
        return decideReschedule(command, state);
      case 'CompleteChecklistItem':
      case 'ReopenChecklistItem':
        return decideChecklistState(command, state);
      case 'AssignChecklistItem':
        return decideChecklistAssign(command, state);
      case 'AddTaskComment':
        return decideComment(command, state);
      case 'LogTaskHours':
        return decideLogHours(command, state);
      case 'ArchiveTask':
        return decideArchive(command, state);
      case 'MarkTaskOverdue':
        return decideMarkOverdue(command, state);
      default:
        return assertNever(command, 'task command');
    }
  },
});

