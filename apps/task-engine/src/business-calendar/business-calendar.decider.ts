import { assertNever, type Command, type Decider, type DomainEvent } from '@projectflo/platform/core';
import { validateBusinessCalendar, type BusinessCalendar } from '@projectflo/task-engine/domain';

/**
 * The tenant's business calendar as the task-engine sees it: one stream per tenant
 * (`business-calendar-<tenantId>`). It is read straight from the event store by the expansion
 * activity (strongly consistent) and is not published on Kafka: scheduling owns the calendar of
 * record; this is the task-engine's copy for business-day due offsets.
 */
export const DEFAULT_BUSINESS_CALENDAR: BusinessCalendar = { timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], holidays: [] };

export const businessCalendarStream = (tenantId: string): string => `business-calendar-${tenantId}`;

export type SetBusinessCalendar = Command<'SetBusinessCalendar', { readonly calendar: BusinessCalendar }>;

export type BusinessCalendarSet = DomainEvent<
  'BusinessCalendarSet',
  {
    readonly tenantId: string;
    readonly timezone: string;
    readonly workingDays: readonly number[];
    readonly holidays: readonly string[];
    readonly setBy: string;
    readonly setAt: string;
  }
>;

export interface BusinessCalendarState {
  readonly calendar: BusinessCalendar | null;
}

function normalise(calendar: BusinessCalendar): BusinessCalendar {
  return {
    timezone: calendar.timezone,
    workingDays: [...new Set(calendar.workingDays)].sort((a, b) => a - b),
    holidays: [...new Set(calendar.holidays)].sort(),
  };
}

export const businessCalendarDecider: Decider<BusinessCalendarState, SetBusinessCalendar, BusinessCalendarSet> = {
  initialState: () => ({ calendar: null }),
  evolve: (_state, event) => ({
    calendar: { timezone: event.data.timezone, workingDays: event.data.workingDays, holidays: event.data.holidays },
  }),
  decide(command, state) {
    switch (command.type) {
      case 'SetBusinessCalendar': {
        validateBusinessCalendar(command.data.calendar);
        const next = normalise(command.data.calendar);
        if (state.calendar && JSON.stringify(normalise(state.calendar)) === JSON.stringify(next)) return [];
        return [
          {
            type: 'BusinessCalendarSet',
            data: {
              tenantId: command.metadata.tenantId,
              ...next,
              setBy: command.metadata.actorId,
              setAt: command.metadata.now.toISOString(),
            },
          },
        ];
      }
      default:
        return assertNever(command.type, 'business calendar command');
    }
  },
};

export function calendarOf(state: BusinessCalendarState): BusinessCalendar {
  return state.calendar ?? DEFAULT_BUSINESS_CALENDAR;
}
