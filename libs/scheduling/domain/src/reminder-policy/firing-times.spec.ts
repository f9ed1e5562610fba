import { DateTime, Settings } from 'luxon';
import { type BusinessCalendar, nextWorkingTime, planTimers, type ReminderRules } from './firing-times';

const UTC_WEEK: BusinessCalendar = { timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], holidays: [] };
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const rules = (overrides: Partial<ReminderRules> = {}): ReminderRules => ({
  offsets: ['P3D', 'P1D'],
  workingHours: null,
  outsideWorkingTime: 'FIRE_ANYWAY',
  overdueAfter: 'P1D',
  ...overrides,
});
const EARLY = '2000-01-01T00:00:00.000Z';

describe('planTimers', () => {
  it('fires each offset before the due date, in firing order, and the task is overdue after the grace', () => {
    const plan = planTimers({ dueAt: '2025-06-20T12:00:00Z', plannedFrom: EARLY, rules: rules({ offsets: ['PT2H', 'P3D', 'P1D'] }), calendar: UTC_WEEK });
    expect(plan).toEqual({
      dueAt: '2025-06-20T12:00:00.000Z',
      overdueAt: '2025-06-21T12:00:00.000Z',
      reminders: [
        { reminderKey: 'P3D', scheduledFor: '2025-06-17T12:00:00.000Z' },
        { reminderKey: 'P1D', scheduledFor: '2025-06-19T12:00:00.000Z' },
        { reminderKey: 'PT2H', scheduledFor: '2025-06-20T10:00:00.000Z' },
      ],
    });
  });

  it('leaves out reminders before the moment of the change that planned them, keeping those still ahead', () => {
    const plan = planTimers({ dueAt: '2025-06-20T12:00:00Z', plannedFrom: '2025-06-18T00:00:00Z', rules: rules(), calendar: UTC_WEEK });
    expect(plan.reminders).toEqual([{ reminderKey: 'P1D', scheduledFor: '2025-06-19T12:00:00.000Z' }]);
  });

  it('counts days in the calendar zone, keeping the local time across a DST change, and hours exactly', () => {
    // Berlin moves from +01:00 to +02:00 on 2025-03-30; the task is due Monday 31 March 09:00 local.
    const berlin: BusinessCalendar = { ...UTC_WEEK, timezone: 'Europe/Berlin' };
    const plan = planTimers({ dueAt: '2025-03-31T07:00:00Z', plannedFrom: EARLY, rules: rules({ offsets: ['P3D', 'PT48H'] }), calendar: berlin });
    expect(plan.reminders).toEqual([
      { reminderKey: 'P3D', scheduledFor: '2025-03-28T08:00:00.000Z' }, // Friday 09:00 +01:00
      { reminderKey: 'PT48H', scheduledFor: '2025-03-29T07:00:00.000Z' }, // exactly 48 h earlier: Saturday 08:00 +01:00
    ]);
  });

  it('moves a reminder that lands at 02:30 on a spring-forward day to 03:30, as the clocks move', () => {
    // New York skips 02:00-03:00 on 2025-03-09. Due Monday 02:30 EDT; one day before is a time that does not exist.
    const ny: BusinessCalendar = { timezone: 'America/New_York', workingDays: EVERY_DAY, holidays: [] };
    const plan = planTimers({ dueAt: '2025-03-10T06:30:00Z', plannedFrom: EARLY, rules: rules({ offsets: ['P1D'] }), calendar: ny });
    expect(plan.reminders).toEqual([{ reminderKey: 'P1D', scheduledFor: '2025-03-09T07:30:00.000Z' }]); // 03:30 EDT
  });

  it('moves to working hours that start at 02:30 on a spring-forward day at 03:30 local', () => {
    const ny: BusinessCalendar = { timezone: 'America/New_York', workingDays: EVERY_DAY, holidays: [] };
    const plan = planTimers({
      dueAt: '2025-03-09T16:00:00Z', // 12:00 EDT
      plannedFrom: EARLY,
      rules: rules({ offsets: ['PT10H'], workingHours: { start: '02:30', end: '10:00' }, outsideWorkingTime: 'NEXT_WORKING_TIME' }),
      calendar: ny,
    });
    // 10 h before is 01:00 EST (06:00Z), before working hours; their start 02:30 does not exist that day.
    expect(plan.reminders).toEqual([{ reminderKey: 'PT10H', scheduledFor: '2025-03-09T07:30:00.000Z' }]);
  });

  it('moves a reminder on a weekend or holiday to the start of the next working day, when the rule says so', () => {
    const calendar: BusinessCalendar = { timezone: 'Europe/Paris', workingDays: [1, 2, 3, 4, 5], holidays: ['2025-06-09'] };
    const hours = { start: '09:00', end: '17:00' };
    // Due Wednesday 2025-06-11 10:00 Paris (08:00Z). P4D is Saturday 7 June; Monday 9 June is a holiday.
    const moved = planTimers({ dueAt: '2025-06-11T08:00:00Z', plannedFrom: EARLY, rules: rules({ offsets: ['P4D'], workingHours: hours, outsideWorkingTime: 'NEXT_WORKING_TIME' }), calendar });
    expect(moved.reminders).toEqual([{ reminderKey: 'P4D', scheduledFor: '2025-06-10T07:00:00.000Z' }]); // Tuesday 09:00 +02:00
    const anyway = planTimers({ dueAt: '2025-06-11T08:00:00Z', plannedFrom: EARLY, rules: rules({ offsets: ['P4D'], workingHours: hours }), calendar });
    expect(anyway.reminders).toEqual([{ reminderKey: 'P4D', scheduledFor: '2025-06-07T08:00:00.000Z' }]); // Saturday 10:00, as planned
  });

  it('keeps a reminder at its own time when the next working time would be after the due moment', () => {
    // Due Saturday 12:00 UTC; one hour before is Saturday too, and the next working time is Monday.
    const plan = planTimers({
      dueAt: '2025-06-14T12:00:00Z',
      plannedFrom: EARLY,
      rules: rules({ offsets: ['PT1H'], workingHours: { start: '09:00', end: '17:00' }, outsideWorkingTime: 'NEXT_WORKING_TIME' }),
      calendar: UTC_WEEK,
    });
    expect(plan.reminders).toEqual([{ reminderKey: 'PT1H', scheduledFor: '2025-06-14T11:00:00.000Z' }]);
  });

  it('gives the same instants whatever the time zone of the process', () => {
    const input = {
      dueAt: '2025-03-31T07:00:00Z', // Monday 09:00 Berlin
      plannedFrom: EARLY,
      rules: rules({ offsets: ['P3D', 'PT13H'], workingHours: { start: '08:30', end: '18:00' }, outsideWorkingTime: 'NEXT_WORKING_TIME' as const }),
      calendar: { timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], holidays: [] },
    };
    // Jest sandboxes process.env, so the process zone is stood in for by luxon's default zone, which is what a
    // local DateTime (the only way this code could read the process zone) would use.
    const original = Settings.defaultZone;
    try {
      const plans = ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles'].map((zone) => {
        Settings.defaultZone = zone;
        expect(DateTime.local().zoneName).toBe(zone);
        return planTimers(input);
      });
      expect(plans[1]).toEqual(plans[0]);
      expect(plans[2]).toEqual(plans[0]);
      expect(plans[0].reminders).toEqual([
        { reminderKey: 'P3D', scheduledFor: '2025-03-28T08:00:00.000Z' }, // Friday 09:00 +01:00
        { reminderKey: 'PT13H', scheduledFor: '2025-03-31T06:30:00.000Z' }, // Sunday 20:00 → Monday 08:30 +02:00
      ]);
    } finally {
      Settings.defaultZone = original;
    }
  });
});

describe('nextWorkingTime', () => {
  const hours = { start: '09:00', end: '17:00' };
  const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
  const next = (iso: string) => nextWorkingTime(at(iso), UTC_WEEK, hours)?.toUTC().toISO();

  it('is the moment itself within working time, today’s start before it, the next working day’s start after it', () => {
    expect(next('2025-06-11T10:00:00Z')).toBe('2025-06-11T10:00:00.000Z');
    expect(next('2025-06-11T06:00:00Z')).toBe('2025-06-11T09:00:00.000Z');
    expect(next('2025-06-11T17:00:00Z')).toBe('2025-06-12T09:00:00.000Z');
    expect(next('2025-06-13T18:00:00Z')).toBe('2025-06-16T09:00:00.000Z'); // Friday evening → Monday
  });

  it('is midnight of the next working day without working hours, and nothing for a calendar without working days in reach', () => {
    expect(nextWorkingTime(at('2025-06-14T10:00:00Z'), UTC_WEEK, null)?.toUTC().toISO()).toBe('2025-06-16T00:00:00.000Z');
    const never: BusinessCalendar = { timezone: 'UTC', workingDays: [], holidays: [] };
    expect(nextWorkingTime(at('2025-06-14T10:00:00Z'), never, hours)).toBeUndefined();
  });
});
