import { z } from 'zod';
import { actor, id, instant, list } from './payload-fields';
import { isoDuration, templateKey } from './scheduling-fields';

/*
 * Payload schemas of the events on `scheduling.task-schedule.v1` (key: the task id): the schedule
 * scheduling keeps for every task with a due date (learned from tasks.task.v1), and what its
 * durable timers fire. Every payload names its tenant and task. Rules for change as in crm-lead.v1.ts.
 *
 * The occurrence of a reminder is (taskId, reminderKey, scheduledFor): ReminderDue is appended at
 * most once per occurrence, so a consumer may use it as its idempotency key. A moved due date (or a
 * re-planned reminder) is a new occurrence.
 */

export const SCHEDULING_TASK_SCHEDULE_TOPIC_V1 = 'scheduling.task-schedule.v1';

/** Most reminders one task can have (the policy's bound on offsets). */
export const MAX_REMINDERS_PER_TASK_V1 = 10;

/** One planned reminder: its key (the policy's offset before the due date) and when it fires. */
export const PlannedReminderV1 = z.object({
  reminderKey: isoDuration,
  /** The instant it fires: dueAt minus the offset, moved to the next working time where the policy says so. */
  scheduledFor: instant,
});

const taskFact = { tenantId: id, taskId: id };
const plan = {
  dueAt: instant,
  /** The instant a still open task becomes overdue (dueAt plus the policy's grace). */
  overdueAt: instant,
  /** Reminders still to fire, in firing order (those already past when planned are left out). */
  reminders: list(PlannedReminderV1, MAX_REMINDERS_PER_TASK_V1),
};

/** A task with a due date got its schedule (from TaskCreated, or a due date set on a task that had none). */
export const TaskScheduledV1 = z.object({
  ...taskFact,
  templateKey: templateKey.nullable(),
  ...plan,
  scheduledBy: actor,
  scheduledAt: instant,
});

/**
 * The schedule changed: the due date moved (`due_date_changed`, from TaskRescheduled) or the
 * tenant's reminder policy or business calendar changed (`policy_changed`). Pending reminders are
 * replaced by `reminders`.
 */
export const TaskScheduleMovedV1 = z.object({
  ...taskFact,
  ...plan,
  previousDueAt: instant,
  reason: z.enum(['due_date_changed', 'policy_changed']),
  movedBy: actor,
  movedAt: instant,
});

/** No more timers: the task was completed or archived, or its due date removed. */
export const TaskScheduleEndedV1 = z.object({
  ...taskFact,
  reason: z.enum(['completed', 'archived', 'due_date_removed']),
  endedBy: actor,
  endedAt: instant,
});

/** A reminder fired (once per occurrence: taskId, reminderKey, scheduledFor). */
export const ReminderDueV1 = z.object({
  ...taskFact,
  reminderKey: isoDuration,
  scheduledFor: instant,
  dueAt: instant,
  firedAt: instant,
  templateKey: templateKey.nullable(),
});

/** The due moment of an open task arrived (once per due date). */
export const TaskDueV1 = z.object({ ...taskFact, dueAt: instant, firedAt: instant });

/** The task was still open at its overdue moment (once per due date). */
export const TaskOverdueV1 = z.object({ ...taskFact, dueAt: instant, firedAt: instant });

/** Event type → its current schema version and payload schema. */
export const schedulingTaskScheduleEventContractsV1 = {
  TaskScheduled: { schemaVersion: 1, schema: TaskScheduledV1 },
  TaskScheduleMoved: { schemaVersion: 1, schema: TaskScheduleMovedV1 },
  TaskScheduleEnded: { schemaVersion: 1, schema: TaskScheduleEndedV1 },
  ReminderDue: { schemaVersion: 1, schema: ReminderDueV1 },
  TaskDue: { schemaVersion: 1, schema: TaskDueV1 },
  TaskOverdue: { schemaVersion: 1, schema: TaskOverdueV1 },
} as const;
