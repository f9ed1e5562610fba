import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { CALENDAR_LIMITS, type BusinessCalendar } from '../expansion/business-calendar';
import { ACTOR, meta, NOW_ISO, TENANT } from '../shared/command-metadata.fixtures';
import type { SetBusinessCalendar } from './business-calendar.commands';
import { businessCalendarDecider, calendarOf, DEFAULT_BUSINESS_CALENDAR } from './business-calendar.decider';
import type { BusinessCalendarSet } from './business-calendar.events';

const { given } = deciderSpecification(businessCalendarDecider);

const set = (calendar: BusinessCalendar): SetBusinessCalendar => ({ type: 'SetBusinessCalendar', data: { calendar }, metadata: meta() });
const berlin = { timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4], holidays: ['2026-12-24', '2026-12-25'] };
const berlinSet: BusinessCalendarSet = { type: 'BusinessCalendarSet', data: { tenantId: TENANT, ...berlin, setBy: ACTOR, setAt: NOW_ISO } };

describe('business calendar', () => {
  describe('when no calendar was set', () => {
    it('plans with Monday to Friday in UTC', () => {
      expect(calendarOf(businessCalendarDecider.initialState())).toEqual(DEFAULT_BUSINESS_CALENDAR);
    });

    it('records a calendar, normalised (sorted, without repeats)', () => {
      given([])
        .when(set({ timezone: 'Europe/Berlin', workingDays: [4, 1, 2, 3, 1], holidays: ['2026-12-25', '2026-12-24', '2026-12-25'] }))
        .then([berlinSet]);
    });

    it('records the zone in its canonical spelling, so the same calendar spelled otherwise changes nothing', () => {
      given([]).when(set({ ...berlin, timezone: ' europe/berlin ' })).then([berlinSet]);
      given([berlinSet]).when(set({ ...berlin, timezone: 'EUROPE/BERLIN' })).then([]);
    });

    it('records the default calendar when it is set explicitly', () => {
      given([])
        .when(set(DEFAULT_BUSINESS_CALENDAR))
        .then([{ type: 'BusinessCalendarSet', data: { tenantId: TENANT, ...DEFAULT_BUSINESS_CALENDAR, setBy: ACTOR, setAt: NOW_ISO } }]);
    });

    it('names every bad field', () => {
      given([])
        .when(set({ timezone: 'Mars/Base', workingDays: [0], holidays: ['24.12.2026'] }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['calendar.timezone', 'calendar.workingDays[0]', 'calendar.holidays[0]']);
    });

    it('refuses a week without working days and more holidays than its bound', () => {
      const holidays = Array.from({ length: CALENDAR_LIMITS.holidays + 1 }, () => '2026-01-01');
      given([]).when(set({ timezone: 'UTC', workingDays: [], holidays })).thenThrows(DomainErrorCode.InvalidArgument, ['calendar.workingDays', 'calendar.holidays']);
    });
  });

  describe('when a calendar was set', () => {
    it('plans with it', () => {
      expect(calendarOf([berlinSet].reduce(businessCalendarDecider.evolve, businessCalendarDecider.initialState()))).toEqual(berlin);
    });

    it('records nothing when the same calendar is set again, in any order', () => {
      given([berlinSet]).when(set({ timezone: 'Europe/Berlin', workingDays: [3, 2, 1, 4], holidays: ['2026-12-25', '2026-12-24'] })).then([]);
    });

    it('records a changed calendar whole', () => {
      given([berlinSet])
        .when(set({ ...berlin, holidays: ['2026-12-24'] }))
        .then([{ type: 'BusinessCalendarSet', data: { ...berlinSet.data, holidays: ['2026-12-24'] } }]);
    });
  });
});
