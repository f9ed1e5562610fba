import type { DomainEvent } from '@projectflo/platform/core';
import type { InitialTaskStatus, PlannedTaskContent } from '../expansion/expansion.planner';
import type { DecimalString } from '../shared/hours';
import type { JsonObject } from '../shared/json';
import type { CommentVisibility, TaskStatus } from './task.status';

/** Every task event names its tenant and task, so each payload stands on its own on Kafka. */
interface TaskFact {
  readonly tenantId: string;
  readonly taskId: string;
}

/** Who did it and when (the command's actor and clock). */
interface Authored {
  readonly by: string;
  readonly at: string;
}

export type TaskCreated = DomainEvent<
  'TaskCreated',
  TaskFact & PlannedTaskContent & {
    readonly status: InitialTaskStatus;
    readonly createdBy: string;
    readonly createdAt: string;
  }
>;

/** A transition made by a person (or an automation acting for one), with its closure data. */
export type TaskStatusChanged = DomainEvent<
  'TaskStatusChanged',
  TaskFact & Authored & { readonly from: TaskStatus; readonly to: TaskStatus; readonly data: JsonObject }
>;

export type TaskBlockerCompleted = DomainEvent<
  'TaskBlockerCompleted',
  TaskFact & Authored & { readonly blockerTaskId: string; readonly openBlockers: readonly string[] }
>;

/** The transition To-Do → Ready to Start made by the last blocker completing. */
export type TaskBecameReady = DomainEvent<
  'TaskBecameReady',
  TaskFact &
    Authored & { readonly from: 'To-Do'; readonly to: 'Ready to Start'; readonly completedBlockers: readonly string[] }
>;

export type TaskAssigned = DomainEvent<
  'TaskAssigned',
  TaskFact & Authored & { readonly assigneeId: string | null; readonly previousAssigneeId: string | null; readonly reason: string | null }
>;

export type TaskRescheduled = DomainEvent<
  'TaskRescheduled',
  TaskFact & Authored & { readonly dueAt: string | null; readonly previousDueAt: string | null; readonly reason: string | null }
>;

export type ChecklistItemCompleted = DomainEvent<'ChecklistItemCompleted', TaskFact & Authored & { readonly itemKey: string }>;

export type ChecklistItemReopened = DomainEvent<'ChecklistItemReopened', TaskFact & Authored & { readonly itemKey: string }>;

export type ChecklistItemAssigned = DomainEvent<
  'ChecklistItemAssigned',
  TaskFact & Authored & { readonly itemKey: string; readonly assigneeId: string | null; readonly previousAssigneeId: string | null }
>;

export type TaskCommentAdded = DomainEvent<
  'TaskCommentAdded',
  TaskFact & Authored & { readonly commentId: string; readonly body: string; readonly visibility: CommentVisibility }
>;

export type TaskHoursLogged = DomainEvent<
  'TaskHoursLogged',
  TaskFact &
    Authored & {
      readonly hours: DecimalString;
      /** Actual hours logged so far, this entry included. */
      readonly actualTotal: DecimalString;
      readonly plannedHours: DecimalString;
      readonly note: string | null;
    }
>;

/** The soft delete: from any status (a lost lead's open tasks are archived unfinished). */
export type TaskArchived = DomainEvent<
  'TaskArchived',
  TaskFact & Authored & { readonly from: TaskStatus; readonly to: 'Archived'; readonly reason: string | null }
>;

/**
 * The task was still open when its due date passed (scheduling's TaskOverdue for `dueAt`, the task's
 * current due date). Cleared in the fold by a reschedule, completion or archiving.
 */
export type TaskMarkedOverdue = DomainEvent<'TaskMarkedOverdue', TaskFact & Authored & { readonly dueAt: string }>;

export type TaskEvent =
  | TaskCreated
  | TaskStatusChanged
  | TaskBlockerCompleted
  | TaskBecameReady
  | TaskAssigned
  | TaskRescheduled
  | ChecklistItemCompleted
  | ChecklistItemReopened
  | ChecklistItemAssigned
  | TaskCommentAdded
  | TaskHoursLogged
  | TaskArchived
  | TaskMarkedOverdue;
