import { DateTime, IANAZone } from 'luxon';
import { DomainError } from '@projectflo/platform/core';
import { Violations } from '../shared/validation';

/** A tenant's working week and holidays, in its own timezone (owned by scheduling, passed in here). */
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

export function validateBusinessCalendar(calendar: BusinessCalendar, field = 'calendar'): void {
  const v = new Violations();
  if (typeof calendar?.timezone !== 'string' || !IANAZone.isValidZone(calendar.timezone)) {
    v.add(`${field}.timezone`, 'must be an IANA timezone such as Europe/Berlin');
  }
  const days = calendar?.workingDays;
  if (!Array.isArray(days) || days.length === 0) v.add(`${field}.working_days`, 'must list at least one ISO weekday (1-7)');
  else
    days.forEach((d, i) => {
      if (!Number.isInteger(d) || d < 1 || d > 7) v.add(`${field}.working_days[${i}]`, 'must be an ISO weekday 1 (Monday) … 7 (Sunday)');
    });
  const holidays = calendar?.holidays;
  if (!Array.isArray(holidays)) v.add(`${field}.holidays`, 'must be a list of dates');
  else
    holidays.forEach((h, i) => {
      if (typeof h !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(h) || !DateTime.fromISO(h).isValid) {
        v.add(`${field}.holidays[${i}]`, 'must be a date YYYY-MM-DD');
      }
    });
  v.throwIfAny();
}

export function isWorkingDay(day: DateTime, calendar: BusinessCalendar): boolean {
  return calendar.workingDays.includes(day.weekday) && !calendar.holidays.includes(day.toISODate() ?? '');
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
  let current = local;
  let remaining = days;
  for (let steps = 0; remaining > 0 || !isWorkingDay(current, calendar); steps++) {
    if (steps > MAX_CALENDAR_STEPS) {
      throw DomainError.invalid({ field: 'calendar.working_days', description: 'the business calendar has no working days in reach' });
    }
    current = current.plus({ days: step });
    if (isWorkingDay(current, calendar)) remaining--;
  }
  return current;
}
