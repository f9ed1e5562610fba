import { z } from 'zod';
import { actor, id, instant, list } from './payload-fields';
import { isoDuration, localTime, templateKey } from './scheduling-fields';
import { MAX_REMINDERS_PER_TASK_V1 } from './scheduling-task-schedule.v1';

/*
 * Payload schema of the events on `scheduling.reminder-policy.v1` (key: the tenant id): a
 * tenant's reminder policy. Rules for change as in crm-lead.v1.ts.
 */

export const SCHEDULING_REMINDER_POLICY_TOPIC_V1 = 'scheduling.reminder-policy.v1';

/** Most per-template overrides one policy holds. */
export const MAX_TEMPLATE_OVERRIDES_V1 = 200;

const offsets = list(isoDuration, MAX_REMINDERS_PER_TASK_V1);

/** The whole policy, normalised (offsets without repeats, longest first). */
export const ReminderPolicySetV1 = z.object({
  tenantId: id,
  /** Offsets before the due date of the tenant's reminders, e.g. ["P3D", "P1D"]. */
  offsets,
  /** Per task template key, offsets replacing the tenant's (sorted by template key). */
  templateOverrides: list(z.object({ templateKey, offsets }), MAX_TEMPLATE_OVERRIDES_V1),
  /** Working hours in the business calendar's zone; null: the whole of a working day. */
  workingHours: z.object({ start: localTime, end: localTime }).nullable(),
  /** A reminder that lands outside working time fires anyway, or at the next working time. */
  outsideWorkingTime: z.enum(['FIRE_ANYWAY', 'NEXT_WORKING_TIME']),
  /** How long after its due moment an open task is overdue. */
  overdueAfter: isoDuration,
  setBy: actor,
  setAt: instant,
});

/** Event type → its current schema version and payload schema. */
export const schedulingReminderPolicyEventContractsV1 = {
  ReminderPolicySet: { schemaVersion: 1, schema: ReminderPolicySetV1 },
} as const;
