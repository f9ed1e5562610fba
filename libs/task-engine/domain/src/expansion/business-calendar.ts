import type { DateTime } from 'luxon';
import { DomainError, Violations } from '@projectflo/platform/core';

/** A tenant's working week and holidays, in its own timezone (the business-calendar aggregate's, passed in here). */
export interface BusinessCalendar {
  /** IANA zone, e.g. "Europe/Berlin". */
  readonly timezone: string;
  /** ISO weekdays that are worked: 1 = Monday … 7 = Sunday. */
  readonly workingDays: readonly number[];
  /** Non-working dates, YYYY-MM-DD in the calendar's timezone. */
  readonly holidays: readonly string[];
}

/** A shift of more working days than this many calendar days means a calendar with (almost) no working days. */
const MAX_CALENDAR_STEPS = 366 * 20;

/**
 * Per-tenant bounds of a calendar, so one tenant's calendar cannot keep a shared worker busy: at
 * most seven weekdays and ten years' worth of holidays. Day lookups are constant-time whatever the
 * list's length, so a shift costs at most MAX_CALENDAR_STEPS of them.
 */
export const CALENDAR_LIMITS = { workingDays: 7, holidays: 3_660 } as const;

/** The calendar as it is kept: the zone in its canonical spelling, dates trimmed (the planner sorts and dedupes). */
export function validateBusinessCalendar(calendar: BusinessCalendar, field = 'calendar'): BusinessCalendar {
  const v = new Violations();
  const timezone = v.timezone(`${field}.timezone`, calendar?.timezone);
  const days: unknown = calendar?.workingDays;
  let workingDays: number[] = [];
  if (!Array.isArray(days) || days.length === 0) v.add(`${field}.workingDays`, 'must list at least one ISO weekday (1-7)');
  else if (days.length > CALENDAR_LIMITS.workingDays) v.add(`${field}.workingDays`, `must list at most ${CALENDAR_LIMITS.workingDays} weekdays`);
  else workingDays = days.map((day: unknown, i) => v.integer(`${field}.workingDays[${i}]`, day, { min: 1, max: 7 }));
  const dates: unknown = calendar?.holidays;
  let holidays: string[] = [];
  if (!Array.isArray(dates)) v.add(`${field}.holidays`, 'must be a list of dates');
  else if (dates.length > CALENDAR_LIMITS.holidays) v.add(`${field}.holidays`, `must list at most ${CALENDAR_LIMITS.holidays} dates (ten years)`);
  else holidays = dates.map((date: unknown, i) => v.date(`${field}.holidays[${i}]`, date));
  v.throwIfAny();
  return { timezone, workingDays, holidays };
}

export function isWorkingDay(day: DateTime, calendar: BusinessCalendar): boolean {
  return worksOn(day, calendar.workingDays, new Set(calendar.holidays));
}

/** One lookup per day, whatever the length of the holiday list. */
function worksOn(day: DateTime, workingDays: readonly number[], holidays: ReadonlySet<string>): boolean {
  return workingDays.includes(day.weekday) && !holidays.has(day.toISODate() ?? '');
}

/**
 * Moves `start` by `days` in `direction`, keeping its wall-clock time in the calendar's zone (so a
 * DST change does not move a 09:00 deadline to 10:00). Business days count only working days, and
 * a shift of zero business days from a non-working day rolls to the nearest working day in the
 * direction of travel.
 */
export function shiftDays(
  start: DateTime,
  days: number,
  direction: 'after' | 'before',
  businessDays: boolean,
  calendar: BusinessCalendar,
): DateTime {
  const local = start.setZone(calendar.timezone);
  const step = direction === 'after' ? 1 : -1;
  if (!businessDays) return local.plus({ days: step * days });
  const holidays = new Set(calendar.holidays);
  const working = (day: DateTime) => worksOn(day, calendar.workingDays, holidays);
  let current = local;
  let remaining = days;
  for (let steps = 0; remaining > 0 || !working(current); steps++) {
    if (steps > MAX_CALENDAR_STEPS) {
      throw DomainError.invalid({ field: 'calendar.workingDays', description: 'the business calendar has no working days in reach' });
    }
    current = current.plus({ days: step });
    if (working(current)) remaining--;
  }
  return current;
}
