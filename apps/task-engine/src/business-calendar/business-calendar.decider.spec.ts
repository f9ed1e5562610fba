import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { businessCalendarDecider, calendarOf, DEFAULT_BUSINESS_CALENDAR } from './business-calendar.decider';

const metadata = { tenantId: 'tenant-a', actorId: 'user-ops', requestId: 'r-1', now: new Date('2026-11-20T10:00:00Z') };
const { given } = deciderSpecification(businessCalendarDecider);
const set = (calendar: { timezone: string; workingDays: number[]; holidays: string[] }) => ({ type: 'SetBusinessCalendar' as const, data: { calendar }, metadata });
const recorded = {
  type: 'BusinessCalendarSet' as const,
  data: { tenantId: 'tenant-a', timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4], holidays: ['2026-12-24', '2026-12-25'], setBy: 'user-ops', setAt: '2026-11-20T10:00:00.000Z' },
};

describe('business calendar', () => {
  it('defaults to Monday to Friday in UTC', () => {
    expect(calendarOf(businessCalendarDecider.initialState())).toEqual(DEFAULT_BUSINESS_CALENDAR);
  });

  it('records a calendar, normalised (sorted, without repeats)', () => {
    given([]).when(set({ timezone: 'Europe/Berlin', workingDays: [4, 1, 2, 3, 1], holidays: ['2026-12-25', '2026-12-24'] })).then([recorded]);
  });

  it('is a no-op when the same calendar is set again', () => {
    given([recorded]).when(set({ timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4], holidays: ['2026-12-24', '2026-12-25'] })).then([]);
  });

  it('names every bad field', () => {
    given([])
      .when(set({ timezone: 'Mars/Base', workingDays: [0], holidays: ['24.12.2026'] }))
      .thenThrows(DomainErrorCode.InvalidArgument, ['calendar.timezone', 'calendar.working_days[0]', 'calendar.holidays[0]']);
  });
});
