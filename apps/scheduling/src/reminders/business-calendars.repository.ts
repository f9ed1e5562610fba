import { tasksBusinessCalendarEventsV1 } from '@projectflo/contracts';
import type { Tx } from '@projectflo/platform/messaging';
import { type BusinessCalendar, DEFAULT_BUSINESS_CALENDAR } from '@projectflo/scheduling/domain';
import type { z } from 'zod';

export type BusinessCalendarSetPayload = z.infer<typeof tasksBusinessCalendarEventsV1.BusinessCalendarSetV1>;

/**
 * scheduling's copy of each tenant's business calendar (its owner is the task-engine, which
 * publishes it on tasks.business-calendar.v1), kept by the business-calendar consumer. A calendar
 * older than the one kept (by its setAt) never replaces it, so a redelivered old event changes nothing.
 */
export async function keepBusinessCalendar(tx: Tx, calendar: BusinessCalendarSetPayload): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO business_calendars (tenant_id, timezone, working_days, holidays, set_at) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)
     ON CONFLICT (tenant_id) DO UPDATE SET timezone = EXCLUDED.timezone, working_days = EXCLUDED.working_days, holidays = EXCLUDED.holidays, set_at = EXCLUDED.set_at
     WHERE business_calendars.set_at < EXCLUDED.set_at
     RETURNING 1 AS kept`,
    [calendar.tenantId, calendar.timezone, JSON.stringify(calendar.workingDays), JSON.stringify(calendar.holidays), calendar.setAt],
  );
  return rows.length > 0;
}

/** The tenant's calendar as scheduling knows it; the default (UTC, Monday to Friday) before the task-engine published one. */
export async function businessCalendarOf(tx: Tx, tenantId: string): Promise<BusinessCalendar> {
  const [row] = await tx.query<{ timezone: string; working_days: number[]; holidays: string[] }>(
    'SELECT timezone, working_days, holidays FROM business_calendars WHERE tenant_id = $1',
    [tenantId],
  );
  return row ? { timezone: row.timezone, workingDays: row.working_days, holidays: row.holidays } : DEFAULT_BUSINESS_CALENDAR;
}
