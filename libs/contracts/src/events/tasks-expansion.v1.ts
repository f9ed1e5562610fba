import { z } from 'zod';
import { actor, id, instant, list, requiredText } from './payload-fields';
import { fieldName, slug, templateTrigger } from './tasks-fields';

/*
 * Payload schema of the events on `tasks.expansion.v1` (key: the trigger event id): how the
 * expansion of one trigger (a lead entering a status, an ingested external event) ended, once per
 * trigger. A consumer that must act once every task of a trigger exists waits for this event
 * instead of counting TaskCreated. Rules for change as in crm-lead.v1.ts.
 */

export const TASKS_EXPANSION_TOPIC_V1 = 'tasks.expansion.v1';

/** Most tasks (and warnings) one outcome lists. */
export const MAX_EXPANSION_TASKS_V1 = 500;

const planWarning = z.discriminatedUnion('code', [
  z.object({ code: z.literal('subject_date_missing'), templateKey: slug, field: fieldName }),
  z.object({ code: z.literal('lead_assignee_missing'), templateKey: slug }),
  z.object({ code: z.literal('unknown_dependency'), templateKey: slug, dependsOn: slug }),
  z.object({ code: z.literal('unknown_parent'), templateKey: slug, parentKey: slug }),
]);

export const ExpansionFinishedV1 = z.object({
  tenantId: id,
  triggerEventId: id,
  trigger: templateTrigger,
  subjectId: id,
  /** completed: every planned task exists; stopped: the loop guard refused it; cancelled: an operator cancelled it first. */
  outcome: z.enum(['completed', 'stopped', 'cancelled']),
  templateCount: z.number().int().min(0).max(MAX_EXPANSION_TASKS_V1),
  /** Every task of the expansion in plan order: created now or already there. */
  taskIds: list(id, MAX_EXPANSION_TASKS_V1),
  created: z.number().int().min(0).max(MAX_EXPANSION_TASKS_V1),
  alreadyExisted: z.number().int().min(0).max(MAX_EXPANSION_TASKS_V1),
  warnings: list(planWarning, MAX_EXPANSION_TASKS_V1),
  message: requiredText(1_000),
  finishedBy: actor,
  finishedAt: instant,
});

/** Event type → its current schema version and payload schema. */
export const tasksExpansionEventContractsV1 = {
  ExpansionFinished: { schemaVersion: 1, schema: ExpansionFinishedV1 },
} as const;
