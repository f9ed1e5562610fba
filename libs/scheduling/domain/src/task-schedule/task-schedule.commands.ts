import type { Command } from '@projectflo/platform/core';
import type { BusinessCalendar } from '../reminder-policy/firing-times';
import type { ReminderPolicy } from '../reminder-policy/reminder-policy.events';

/** The facts a plan is made from: the tenant's policy and calendar, and the moment of the change (reminders before it are past). */
export interface PlanFacts {
  readonly policy: ReminderPolicy;
  readonly calendar: BusinessCalendar;
  /** ISO instant: the time of the event that caused the plan (TaskCreated, TaskRescheduled, ReminderPolicySet). */
  readonly plannedFrom: string;
}

/** A task with a due date (TaskCreated): its schedule begins. */
export type ScheduleTask = Command<'ScheduleTask', PlanFacts & { readonly taskId: string; readonly templateKey: string | null; readonly dueAt: string }>;

/** The task's due date changed (TaskRescheduled); null removes it. */
export type MoveTaskSchedule = Command<'MoveTaskSchedule', PlanFacts & { readonly taskId: string; readonly templateKey: string | null; readonly dueAt: string | null }>;

/** The tenant's policy or calendar changed: plan the pending reminders again. */
export type ReplanTaskSchedule = Command<'ReplanTaskSchedule', PlanFacts & { readonly taskId: string }>;

/** The task was completed or archived. */
export type EndTaskSchedule = Command<'EndTaskSchedule', { readonly taskId: string; readonly reason: 'completed' | 'archived' }>;

/** What a durable timer fires; a stale one (moved, ended, already fired) or an early one emits nothing. */
export type Timer =
  | { readonly kind: 'reminder'; readonly reminderKey: string; readonly scheduledFor: string }
  | { readonly kind: 'due'; readonly dueAt: string }
  | { readonly kind: 'overdue'; readonly dueAt: string };

export type FireTimer = Command<'FireTimer', { readonly taskId: string; readonly timer: Timer }>;

export type TaskScheduleCommand = ScheduleTask | MoveTaskSchedule | ReplanTaskSchedule | EndTaskSchedule | FireTimer;
