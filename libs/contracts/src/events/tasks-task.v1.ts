import { z } from 'zod';
import { actor, calendarDate, id, instant, jsonObject, list, requiredText, text } from './payload-fields';
import { checklistItem, fieldName, hours, slug, TASK_PRIORITIES_V1, TASK_STATUSES_V1, taskMetadata, templateTrigger } from './tasks-fields';

/*
 * Payload schemas of the events on `tasks.task.v1` (key: the task id). Other services consume them
 * (scheduling: due dates and completion; notifications: creation, assignment, completion). Every
 * payload names its tenant and task. Rules for change as in crm-lead.v1.ts.
 */

export const TASKS_TASK_TOPIC_V1 = 'tasks.task.v1';

/** A status change's closure data: a JSON object of at most 16 KiB. */
export const MAX_TRANSITION_DATA_BYTES_V1 = 16 * 1024;

const status = z.enum(TASK_STATUSES_V1);
const reason = text(1_000).nullable();
const blockers = list(id, 50);
/** Hours logged on a task so far: unbounded by the plan, so more digits than `hours`. */
const hoursTotal = z.string().regex(/^\d{1,12}\.\d{2}$/, 'must be hours as a decimal with two places');
const taskFact = { tenantId: id, taskId: id };
/** Who did it and when. */
const authored = { by: actor, at: instant };

export const TaskCreatedV1 = z.object({
  ...taskFact,
  source: z.object({
    triggerEventId: id,
    trigger: templateTrigger,
    subjectId: id,
    templateId: id,
    templateKey: slug,
    templateVersion: z.number().int().min(1),
  }),
  name: requiredText(200),
  description: text(5_000).nullable(),
  priority: z.enum(TASK_PRIORITIES_V1),
  phase: text(100).nullable(),
  metadata: taskMetadata,
  dueAt: instant,
  dueDateBasis: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('trigger_time') }),
    z.object({ kind: z.literal('subject_date'), field: fieldName, date: calendarDate }),
    z.object({ kind: z.literal('fallback_trigger_time'), missingField: fieldName }),
  ]),
  assigneeId: id.nullable(),
  parentTaskId: id.nullable(),
  blockedBy: blockers,
  status: z.enum(['To-Do', 'Ready to Start']),
  checklist: list(checklistItem, 100),
  plannedHours: hours,
  allowCompleteWithOpenSubtasks: z.boolean(),
  createdBy: actor,
  createdAt: instant,
});

/** A transition made by a person (or an automation acting for one), with its closure data. */
export const TaskStatusChangedV1 = z.object({
  ...taskFact,
  ...authored,
  from: status,
  to: status,
  data: jsonObject(MAX_TRANSITION_DATA_BYTES_V1),
});

export const TaskBlockerCompletedV1 = z.object({
  ...taskFact,
  ...authored,
  blockerTaskId: id,
  openBlockers: blockers,
});

/** The transition To-Do → Ready to Start made by the last blocker completing. */
export const TaskBecameReadyV1 = z.object({
  ...taskFact,
  ...authored,
  from: z.literal('To-Do'),
  to: z.literal('Ready to Start'),
  completedBlockers: blockers,
});

export const TaskAssignedV1 = z.object({
  ...taskFact,
  ...authored,
  assigneeId: id.nullable(),
  previousAssigneeId: id.nullable(),
  reason,
});

export const TaskRescheduledV1 = z.object({
  ...taskFact,
  ...authored,
  dueAt: instant.nullable(),
  previousDueAt: instant.nullable(),
  reason,
});

export const ChecklistItemCompletedV1 = z.object({ ...taskFact, ...authored, itemKey: slug });

export const ChecklistItemReopenedV1 = z.object({ ...taskFact, ...authored, itemKey: slug });

export const ChecklistItemAssignedV1 = z.object({
  ...taskFact,
  ...authored,
  itemKey: slug,
  assigneeId: id.nullable(),
  previousAssigneeId: id.nullable(),
});

export const TaskCommentAddedV1 = z.object({
  ...taskFact,
  ...authored,
  commentId: id,
  body: requiredText(10_000),
  visibility: z.enum(['Internal', 'ClientVisible']),
});

export const TaskHoursLoggedV1 = z.object({
  ...taskFact,
  ...authored,
  hours,
  /** Actual hours logged so far, this entry included. */
  actualTotal: hoursTotal,
  plannedHours: hours,
  note: text(1_000).nullable(),
});

/** The soft delete: from any status. */
export const TaskArchivedV1 = z.object({
  ...taskFact,
  ...authored,
  from: status,
  to: z.literal('Archived'),
  reason,
});

/**
 * The task was still open when its due date `dueAt` passed (from scheduling's TaskOverdue for the
 * task's current due date). A later TaskRescheduled, a completion or TaskArchived clears the flag.
 */
export const TaskMarkedOverdueV1 = z.object({
  ...taskFact,
  ...authored,
  dueAt: instant,
});

/** Event type → its current schema version and payload schema. */
export const tasksTaskEventContractsV1 = {
  TaskCreated: { schemaVersion: 1, schema: TaskCreatedV1 },
  TaskStatusChanged: { schemaVersion: 1, schema: TaskStatusChangedV1 },
  TaskBlockerCompleted: { schemaVersion: 1, schema: TaskBlockerCompletedV1 },
  TaskBecameReady: { schemaVersion: 1, schema: TaskBecameReadyV1 },
  TaskAssigned: { schemaVersion: 1, schema: TaskAssignedV1 },
  TaskRescheduled: { schemaVersion: 1, schema: TaskRescheduledV1 },
  ChecklistItemCompleted: { schemaVersion: 1, schema: ChecklistItemCompletedV1 },
  ChecklistItemReopened: { schemaVersion: 1, schema: ChecklistItemReopenedV1 },
  ChecklistItemAssigned: { schemaVersion: 1, schema: ChecklistItemAssignedV1 },
  TaskCommentAdded: { schemaVersion: 1, schema: TaskCommentAddedV1 },
  TaskHoursLogged: { schemaVersion: 1, schema: TaskHoursLoggedV1 },
  TaskArchived: { schemaVersion: 1, schema: TaskArchivedV1 },
  TaskMarkedOverdue: { schemaVersion: 1, schema: TaskMarkedOverdueV1 },
} as const;
