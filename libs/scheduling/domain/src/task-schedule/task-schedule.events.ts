import type { DomainEvent } from '@projectflo/platform/core';
import type { PlannedReminder } from '../reminder-policy/firing-times';

interface TaskFact {
  readonly tenantId: string;
  readonly taskId: string;
}

interface Plan {
  readonly dueAt: string;
  readonly overdueAt: string;
  readonly reminders: readonly PlannedReminder[];
}

export type TaskScheduled = DomainEvent<'TaskScheduled', TaskFact & Plan & { readonly templateKey: string | null; readonly scheduledBy: string; readonly scheduledAt: string }>;

export type TaskScheduleMoved = DomainEvent<
  'TaskScheduleMoved',
  TaskFact & Plan & { readonly previousDueAt: string; readonly reason: 'due_date_changed' | 'policy_changed'; readonly movedBy: string; readonly movedAt: string }
>;

export type TaskScheduleEnded = DomainEvent<
  'TaskScheduleEnded',
  TaskFact & { readonly reason: 'completed' | 'archived' | 'due_date_removed'; readonly endedBy: string; readonly endedAt: string }
>;

export type ReminderDue = DomainEvent<
  'ReminderDue',
  TaskFact & {
    readonly reminderKey: string;
    readonly scheduledFor: string;
    readonly dueAt: string;
    readonly firedAt: string;
    readonly templateKey: string | null;
  }
>;

export type TaskDue = DomainEvent<'TaskDue', TaskFact & { readonly dueAt: string; readonly firedAt: string }>;

export type TaskOverdue = DomainEvent<'TaskOverdue', TaskFact & { readonly dueAt: string; readonly firedAt: string }>;

export type TaskScheduleEvent = TaskScheduled | TaskScheduleMoved | TaskScheduleEnded | ReminderDue | TaskDue | TaskOverdue;
