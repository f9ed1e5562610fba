import { DateTime } from 'luxon';
import { duration, instant, toInstantString } from '../shared/time';

/** A tenant's working week and holidays in its zone, learned from the task-engine's tasks.business-calendar.v1. */
export interface BusinessCalendar {
  /** IANA zone, e.g. "Europe/Berlin". */
  readonly timezone: string;
  /** ISO weekdays that are worked: 1 = Monday … 7 = Sunday. */
  readonly workingDays: readonly number[];
  /** Non-working dates, YYYY-MM-DD in the calendar's zone. */
  readonly holidays: readonly string[];
}

/** The calendar of a tenant that has not set one (the task-engine's default too). */
export const DEFAULT_BUSINESS_CALENDAR: BusinessCalendar = { timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], holidays: [] };

export type OutsideWorkingTime = 'FIRE_ANYWAY' | 'NEXT_WORKING_TIME';

/** Working hours `HH:mm`–`HH:mm` in the calendar's zone, start before end. */
export interface WorkingHours {
  readonly start: string;
  readonly end: string;
}

/** What a plan needs of the tenant's reminder policy. */
export interface ReminderRules {
  /** Offsets before the due date (ISO-8601 durations), this task's template's or the tenant's. */
  readonly offsets: readonly string[];
  readonly workingHours: WorkingHours | null;
  readonly outsideWorkingTime: OutsideWorkingTime;
  /** How long after its due moment an open task is overdue. */
  readonly overdueAfter: string;
}

export interface PlannedReminder {
  /** The offset, as the policy spells it: the reminder's key. */
  readonly reminderKey: string;
  /** When it fires (UTC instant). */
  readonly scheduledFor: string;
}

export interface TimerPlan {
  readonly dueAt: string;
  readonly overdueAt: string;
  /** In firing order; only those at or after `plannedFrom`. */
  readonly reminders: readonly PlannedReminder[];
}

/** A year of days: a calendar without a working day in reach has none. */
const MAX_DAYS_AHEAD = 366;

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

function isWorkingDay(day: DateTime, calendar: BusinessCalendar): boolean {
  return calendar.workingDays.includes(day.weekday) && !calendar.holidays.includes(day.toISODate() ?? '');
}

/** The local moment `HH:mm` of `day`; a time skipped by a DST change (02:30 on a spring-forward day) is moved forward as clocks are. */
function at(day: DateTime, time: string): DateTime {
  const minutes = minutesOf(time);
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone: day.zone },
  );
}

/** Whether `moment` (in the calendar's zone) is on a working day and within working hours. */
export function isWorkingTime(moment: DateTime, calendar: BusinessCalendar, hours: WorkingHours | null): boolean {
  const local = moment.setZone(calendar.timezone);
  if (!isWorkingDay(local, calendar)) return false;
  if (hours === null) return true;
  return local >= at(local, hours.start) && local < at(local, hours.end);
}

/**
 * The first working moment at or after `moment`: itself when it is working time, else the start
 * of working hours (midnight without them) of the next working day, today's when it is still
 * before them. Undefined when no working day lies within a year.
 */
export function nextWorkingTime(moment: DateTime, calendar: BusinessCalendar, hours: WorkingHours | null): DateTime | undefined {
  const local = moment.setZone(calendar.timezone);
  if (isWorkingTime(local, calendar, hours)) return local;
  const startOf = (day: DateTime) => (hours === null ? day.startOf('day') : at(day, hours.start));
  if (isWorkingDay(local, calendar) && local < startOf(local)) return startOf(local);
  let day = local.startOf('day');
  for (let i = 0; i < MAX_DAYS_AHEAD; i++) {
    day = day.plus({ days: 1 });
    if (isWorkingDay(day, calendar)) return startOf(day);
  }
  return undefined;
}

/**
 * When each reminder of a task due at `dueAt` fires: the due moment minus the offset in the
 * calendar's zone (days keep the local time across a DST change, hours are exact), moved to the
 * next working time when the rule says so, unless that would be after the due moment (then it
 * fires at its own time: late is worse than outside hours). Reminders before `plannedFrom` (the
 * moment of the change that made this plan) are past and left out; the rest are in firing order.
 * The process's own time zone plays no part.
 */
export function planTimers(input: {
  readonly dueAt: string;
  readonly plannedFrom: string;
  readonly rules: ReminderRules;
  readonly calendar: BusinessCalendar;
}): TimerPlan {
  const { rules, calendar } = input;
  const due = instant(input.dueAt).setZone(calendar.timezone);
  const from = instant(input.plannedFrom);
  const reminders: PlannedReminder[] = [];
  for (const reminderKey of rules.offsets) {
    const raw = due.minus(duration(reminderKey));
    let fires = raw;
    if (rules.outsideWorkingTime === 'NEXT_WORKING_TIME') {
      const next = nextWorkingTime(raw, calendar, rules.workingHours);
      if (next !== undefined && next <= due) fires = next;
    }
    if (fires >= from) reminders.push({ reminderKey, scheduledFor: toInstantString(fires) });
  }
  reminders.sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor) || a.reminderKey.localeCompare(b.reminderKey));
  return { dueAt: toInstantString(due), overdueAt: toInstantString(due.plus(duration(rules.overdueAfter))), reminders };
}
