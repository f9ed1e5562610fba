import type { Command } from '@projectflo/platform/core';
import type { PlannedTask } from '../expansion/expansion.planner';
import type { JsonObject } from '../shared/json';
import type { ChangeableTaskStatus, CommentVisibility } from './task.status';

/** One planned task of an expansion, as planExpansion produced it. */
export type CreateTask = Command<'CreateTask', PlannedTask>;

/**
 * `openChildTaskIds` are the subtasks of this task that are neither Completed nor Archived, looked
 * up by the handler from the read model (the decider stays pure). Only consulted when completing.
 */
export type ChangeTaskStatus = Command<
  'ChangeTaskStatus',
  {
    readonly taskId: string;
    readonly toStatus: ChangeableTaskStatus;
    readonly data?: JsonObject;
    readonly openChildTaskIds: readonly string[];
  }
>;

/** Sent to each dependent when a blocker completes (or is archived: it no longer blocks). */
export type MarkBlockerCompleted = Command<'MarkBlockerCompleted', { readonly taskId: string; readonly blockerTaskId: string }>;

export type AssignTask = Command<
  'AssignTask',
  { readonly taskId: string; readonly assigneeId: string | null; readonly reason?: string | null }
>;

export type RescheduleTask = Command<
  'RescheduleTask',
  { readonly taskId: string; readonly dueAt: string | null; readonly reason?: string | null }
>;

/** `itemId` is the item's key, named as the API names it (CompleteChecklistItemRequest.item_id). */
export type CompleteChecklistItem = Command<'CompleteChecklistItem', { readonly taskId: string; readonly itemId: string }>;
export type ReopenChecklistItem = Command<'ReopenChecklistItem', { readonly taskId: string; readonly itemId: string }>;
export type AssignChecklistItem = Command<
  'AssignChecklistItem',
  { readonly taskId: string; readonly itemId: string; readonly assigneeId: string | null }
>;

export type AddTaskComment = Command<
  'AddTaskComment',
  { readonly taskId: string; readonly commentId: string; readonly body: string; readonly visibility: CommentVisibility }
>;

export type LogTaskHours = Command<'LogTaskHours', { readonly taskId: string; readonly hours: string; readonly note?: string | null }>;

export type ArchiveTask = Command<'ArchiveTask', { readonly taskId: string; readonly reason?: string | null }>;

/**
 * From scheduling's TaskOverdue: the task's `dueAt` passed while it was open. An automation's
 * command, so what no longer holds (the task closed, its due date moved, already flagged) changes
 * nothing rather than being refused.
 */
export type MarkTaskOverdue = Command<'MarkTaskOverdue', { readonly taskId: string; readonly dueAt: string }>;

export type TaskCommand =
  | CreateTask
  | ChangeTaskStatus
  | MarkBlockerCompleted
  | AssignTask
  | RescheduleTask
  | CompleteChecklistItem
  | ReopenChecklistItem
  | AssignChecklistItem
  | AddTaskComment
  | LogTaskHours
  | ArchiveTask
  | MarkTaskOverdue;
