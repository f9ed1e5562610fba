import { z } from 'zod';
import { actor, calendarDate, id, instant, list, timezone } from './payload-fields';

/*
 * Payload schema of the events on `tasks.business-calendar.v1` (key: the tenant id): the tenant's
 * business calendar, whose one owner is the task-engine (SetBusinessCalendar); scheduling and
 * notifications learn it from here. Rules for change as in crm-lead.v1.ts.
 */

export const TASKS_BUSINESS_CALENDAR_TOPIC_V1 = 'tasks.business-calendar.v1';

/** The whole calendar, normalised by the decider: ISO weekdays (1 = Monday … 7 = Sunday) and holidays sorted, without repeats. */
export const BusinessCalendarSetV1 = z.object({
  tenantId: id,
  timezone,
  workingDays: list(z.number().int().min(1).max(7), 7),
  /** Non-working dates, YYYY-MM-DD in the calendar's timezone; at most ten years' worth. */
  holidays: list(calendarDate, 3_660),
  setBy: actor,
  setAt: instant,
});

/** Event type → its current schema version and payload schema. */
export const tasksBusinessCalendarEventContractsV1 = {
  BusinessCalendarSet: { schemaVersion: 1, schema: BusinessCalendarSetV1 },
} as const;
