import { z } from 'zod';
import { actor, id, instant, requiredText } from './payload-fields';
import { templateTrigger } from './tasks-fields';

/*
 * Payload schema of the events on `tasks.automation-guard.v1` (key: the tenant id): expansions the
 * loop guard refused. Rules for change as in crm-lead.v1.ts.
 */

export const TASKS_AUTOMATION_GUARD_TOPIC_V1 = 'tasks.automation-guard.v1';

export const AutomationLoopStoppedV1 = z.object({
  tenantId: id,
  triggerEventId: id,
  trigger: templateTrigger,
  subjectId: id,
  depth: z.number().int().min(0).max(1_000),
  reason: z.enum(['max_depth', 'rate_limit']),
  detail: requiredText(1_000),
  stoppedBy: actor,
  stoppedAt: instant,
});

/** Event type → its current schema version and payload schema. */
export const tasksAutomationGuardEventContractsV1 = {
  AutomationLoopStopped: { schemaVersion: 1, schema: AutomationLoopStoppedV1 },
} as const;
