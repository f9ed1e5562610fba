import { z } from 'zod';
import { actor, id, instant, list, requiredText, text } from './payload-fields';
import { checklistItem, fieldName, hours, slug, TASK_PRIORITIES_V1, taskMetadata, templateTrigger } from './tasks-fields';

/*
 * Payload schemas of the events on `tasks.task-template.v1` (key: the template id): versioned task
 * templates, each event carrying the full definition of its version. Rules for change as in
 * crm-lead.v1.ts.
 */

export const TASKS_TASK_TEMPLATE_TOPIC_V1 = 'tasks.task-template.v1';

/** The full definition of one template version. */
export const TaskTemplateDefinitionV1 = z.object({
  key: slug,
  trigger: templateTrigger,
  name: requiredText(200),
  description: text(5_000).nullable(),
  priority: z.enum(TASK_PRIORITIES_V1),
  dueOffset: z.object({
    days: z.number().int().min(0).max(3_650),
    hours: z.number().int().min(0).max(23),
    businessDays: z.boolean(),
    direction: z.enum(['after', 'before']),
    anchor: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('trigger_time') }),
      z.object({ kind: z.literal('subject_date'), field: fieldName }),
    ]),
  }),
  defaultAssignee: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('user'), userId: id }),
    z.object({ kind: z.literal('lead_assignee') }),
    z.object({ kind: z.literal('none') }),
  ]),
  phase: text(100).nullable(),
  effortHours: hours,
  metadata: taskMetadata,
  checklist: list(checklistItem, 100),
  parentKey: slug.nullable(),
  dependsOn: list(slug, 50),
  allowCompleteWithOpenSubtasks: z.boolean(),
});

const version = z.number().int().min(1);

export const TaskTemplateCreatedV1 = z.object({
  tenantId: id,
  templateId: id,
  version: z.literal(1),
  definition: TaskTemplateDefinitionV1,
  createdBy: actor,
  createdAt: instant,
});

/** A new version with the full new definition. */
export const TaskTemplateRevisedV1 = z.object({
  tenantId: id,
  templateId: id,
  version,
  previousVersion: version,
  definition: TaskTemplateDefinitionV1,
  /** True when this revision brought a retired template back into use. */
  reinstated: z.boolean(),
  revisedBy: actor,
  revisedAt: instant,
});

export const TaskTemplateRetiredV1 = z.object({
  tenantId: id,
  templateId: id,
  version,
  reason: text(1_000).nullable(),
  retiredBy: actor,
  retiredAt: instant,
});

/** Event type → its current schema version and payload schema. */
export const tasksTaskTemplateEventContractsV1 = {
  TaskTemplateCreated: { schemaVersion: 1, schema: TaskTemplateCreatedV1 },
  TaskTemplateRevised: { schemaVersion: 1, schema: TaskTemplateRevisedV1 },
  TaskTemplateRetired: { schemaVersion: 1, schema: TaskTemplateRetiredV1 },
} as const;
