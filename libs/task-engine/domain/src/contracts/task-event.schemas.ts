import { z } from 'zod';
import { TASK_PRIORITIES } from '../task-template/task-template.definition';
import { COMMENT_VISIBILITIES, TASK_STATUSES } from '../task/task.status';

/**
 * Payload schemas (schemaVersion 1) of the task events other services consume from
 * `tasks.task.v1` (scheduling: due dates and completion; notifications: creation, assignment,
 * completion). Additive changes keep version 1; consumers ignore unknown fields.
 */
export const TASK_EVENT_SCHEMA_VERSION = 1 as const;

const id = z.string().min(1).max(128);
const instant = z.string().datetime({ offset: true });
const hours = z.string().regex(/^\d{1,5}\.\d{2}$/);
const status = z.enum(TASK_STATUSES);
const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number().finite(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);
const trigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('lead_status'), statusId: id }),
  z.object({ kind: z.literal('event_type'), eventTypeKey: z.string().min(1).max(100) }),
]);
const taskFact = { tenantId: id, taskId: id };
const authored = { by: id, at: instant };

export const taskCreatedPayloadV1 = z.object({
  ...taskFact,
  source: z.object({
    triggerEventId: id,
    trigger,
    subjectId: id,
    templateId: id,
    templateKey: z.string().min(1).max(64),
    templateVersion: z.number().int().min(1),
  }),
  name: z.string().min(1).max(200),
  description: z.string().max(5000).nullable(),
  priority: z.enum(TASK_PRIORITIES),
  phase: z.string().max(100).nullable(),
  metadata: z.record(z.string(), z.string()),
  dueAt: instant,
  dueDateBasis: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('trigger_time') }),
    z.object({ kind: z.literal('subject_date'), field: z.string(), date: z.string().date() }),
    z.object({ kind: z.literal('fallback_trigger_time'), missingField: z.string() }),
  ]),
  assigneeId: id.nullable(),
  parentTaskId: id.nullable(),
  blockedBy: z.array(id),
  status: z.enum(['To-Do', 'Ready to Start']),
  checklist: z.array(z.object({ itemKey: z.string().min(1).max(64), title: z.string().min(1).max(500) })),
  plannedHours: hours,
  allowCompleteWithOpenSubtasks: z.boolean(),
  createdBy: id,
  createdAt: instant,
});

export const taskStatusChangedPayloadV1 = z.object({
  ...taskFact,
  ...authored,
  from: status,
  to: status,
  data: z.record(z.string(), jsonValue),
});

export const taskBecameReadyPayloadV1 = z.object({
  ...taskFact,
  ...authored,
  from: z.literal('To-Do'),
  to: z.literal('Ready to Start'),
  completedBlockers: z.array(id),
});

export const taskRescheduledPayloadV1 = z.object({
  ...taskFact,
  ...authored,
  dueAt: instant.nullable(),
  previousDueAt: instant.nullable(),
  reason: z.string().nullable(),
});

export const taskAssignedPayloadV1 = z.object({
  ...taskFact,
  ...authored,
  assigneeId: id.nullable(),
  previousAssigneeId: id.nullable(),
  reason: z.string().nullable(),
});

export const taskArchivedPayloadV1 = z.object({
  ...taskFact,
  ...authored,
  from: status,
  to: z.literal('Archived'),
  reason: z.string().nullable(),
});

export const taskCommentAddedPayloadV1 = z.object({
  ...taskFact,
  ...authored,
  commentId: id,
  body: z.string().min(1),
  visibility: z.enum(COMMENT_VISIBILITIES),
});

/** The published task events by name; a consumer validates with `TASK_EVENT_PAYLOAD_SCHEMAS[type]`. */
export const TASK_EVENT_PAYLOAD_SCHEMAS = {
  TaskCreated: taskCreatedPayloadV1,
  TaskStatusChanged: taskStatusChangedPayloadV1,
  TaskBecameReady: taskBecameReadyPayloadV1,
  TaskRescheduled: taskRescheduledPayloadV1,
  TaskAssigned: taskAssignedPayloadV1,
  TaskArchived: taskArchivedPayloadV1,
  TaskCommentAdded: taskCommentAddedPayloadV1,
} as const;

export type TaskCreatedPayloadV1 = z.infer<typeof taskCreatedPayloadV1>;
export type TaskStatusChangedPayloadV1 = z.infer<typeof taskStatusChangedPayloadV1>;
export type TaskBecameReadyPayloadV1 = z.infer<typeof taskBecameReadyPayloadV1>;
export type TaskRescheduledPayloadV1 = z.infer<typeof taskRescheduledPayloadV1>;
export type TaskAssignedPayloadV1 = z.infer<typeof taskAssignedPayloadV1>;
export type TaskArchivedPayloadV1 = z.infer<typeof taskArchivedPayloadV1>;
export type TaskCommentAddedPayloadV1 = z.infer<typeof taskCommentAddedPayloadV1>;

export { jsonValue as jsonValueSchema };
