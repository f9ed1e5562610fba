import type { ViewFold } from '@projectflo/platform/core';
import {
  evolveTaskSchedule,
  initialTaskScheduleState,
  pendingTimers,
  type PendingTimer,
  type TaskScheduleEvent,
  type TaskScheduleState,
} from '@projectflo/scheduling/domain';

/** A reminder that fired: its occurrence and when. */
export interface FiredReminderView {
  readonly reminderKey: string;
  readonly scheduledFor: string;
  readonly firedAt: string;
}

/** One task's schedule as GetTaskSchedule and ListTaskSchedules return it. */
export interface TaskScheduleRow {
  taskId: string;
  tenantId: string;
  /** The decider's state, folded by the decider's own evolve: what is pending is derived from it the same way the workflow derives it. */
  state: TaskScheduleState;
  status: 'open' | 'ended';
  dueAt: Date;
  pending: PendingTimer[];
  /** The next firing of an open schedule; null when nothing is pending (what ListTaskSchedules sorts by). */
  nextFireAt: Date | null;
  firedReminders: FiredReminderView[];
  updatedAt: Date;
  /** Version of the schedule stream. */
  version: number;
}

export const TASK_SCHEDULE_EVENT_TYPES: readonly TaskScheduleEvent['type'][] = [
  'TaskScheduled',
  'TaskScheduleMoved',
  'TaskScheduleEnded',
  'ReminderDue',
  'TaskDue',
  'TaskOverdue',
];

/** The row after one event of the task's schedule stream (the projection's, the rebuild's and the queries' one fold). */
export const evolveTaskScheduleRow: ViewFold<TaskScheduleRow> = (row, recorded) => {
  const event = { type: recorded.type, data: recorded.data } as TaskScheduleEvent;
  if (!row && event.type !== 'TaskScheduled') return undefined;
  const state = evolveTaskSchedule(row?.state ?? initialTaskScheduleState(), event);
  const pending = pendingTimers(state);
  const fired =
    event.type === 'ReminderDue'
      ? [...(row?.firedReminders ?? []), { reminderKey: event.data.reminderKey, scheduledFor: event.data.scheduledFor, firedAt: event.data.firedAt }]
      : (row?.firedReminders ?? []);
  return {
    taskId: state.taskId,
    tenantId: recorded.metadata.tenantId,
    state,
    status: state.status === 'ended' ? 'ended' : 'open',
    dueAt: new Date(state.dueAt ?? 0),
    pending,
    nextFireAt: pending[0] ? new Date(pending[0].firesAt) : null,
    firedReminders: fired,
    updatedAt: new Date(recorded.metadata.occurredAt),
    version: recorded.streamPosition,
  };
};
