import { assertNever, defineDecider } from '@projectflo/platform/core';
import { validateBusinessCalendar, type BusinessCalendar } from '../expansion/business-calendar';
import { toInstantString } from '../shared/time';
import type { BusinessCalendarCommand, SetBusinessCalendar } from './business-calendar.commands';
import type { BusinessCalendarEvent } from './business-calendar.events';

/**
 * The tenant's business calendar, whose one owner is the task-engine: one stream per tenant
 * (`business-calendar-<tenantId>`). The expansion reads it straight from the event store (strongly
 * consistent) for business-day due offsets; the relay publishes it on `tasks.business-calendar.v1`,
 * where scheduling learns it for its reminders.
 */
export const DEFAULT_BUSINESS_CALENDAR: BusinessCalendar = { timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], holidays: [] };

export interface BusinessCalendarState {
  /** Null until a calendar is set: expansions then use DEFAULT_BUSINESS_CALENDAR. */
  readonly calendar: BusinessCalendar | null;
}

export const initialBusinessCalendarState = (): BusinessCalendarState => ({ calendar: null });

export function evolveBusinessCalendar(_state: BusinessCalendarState, event: BusinessCalendarEvent): BusinessCalendarState {
  switch (event.type) {
    case 'BusinessCalendarSet': {
      const { timezone, workingDays, holidays } = event.data;
      return { calendar: { timezone, workingDays, holidays } };
    }
    default:
      return assertNever(event.type, 'business calendar event');
  }
}

/** The calendar an expansion plans with. */
export function calendarOf(state: BusinessCalendarState): BusinessCalendar {
  return state.calendar ?? DEFAULT_BUSINESS_CALENDAR;
}

function normalise(calendar: BusinessCalendar): BusinessCalendar {
  return {
    timezone: calendar.timezone,
    workingDays: [...new Set(calendar.workingDays)].sort((a, b) => a - b),
    holidays: [...new Set(calendar.holidays)].sort(),
  };
}

function decideSet(command: SetBusinessCalendar, state: BusinessCalendarState): BusinessCalendarEvent[] {
  const { data, metadata } = command;
  const next = normalise(validateBusinessCalendar(data.calendar));
  if (state.calendar && JSON.stringify(normalise(state.calendar)) === JSON.stringify(next)) return [];
  return [
    {
      type: 'BusinessCalendarSet',
      data: { tenantId: metadata.tenantId, ...next, setBy: metadata.actorId, setAt: toInstantString(metadata.now) },
    },
  ];
}

export const businessCalendarDecider = defineDecider<BusinessCalendarState, BusinessCalendarCommand, BusinessCalendarEvent>({
  aggregate: 'business calendar',
  schemaVersions: { BusinessCalendarSet: 1 },
  initialState: initialBusinessCalendarState,
  evolve: evolveBusinessCalendar,
  decide: decideSet,
});
