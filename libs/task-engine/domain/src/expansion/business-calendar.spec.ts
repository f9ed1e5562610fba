import { DateTime } from 'luxon';
import { DomainErrorCode } from '@projectflo/platform/core';
import { CALENDAR_LIMITS, isWorkingDay, shiftDays, validateBusinessCalendar, type BusinessCalendar } from './business-calendar';

const NEW_YORK: BusinessCalendar = { timezone: 'America/New_York', workingDays: [1, 2, 3, 4, 5], holidays: ['2025-07-04'] };
const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });

describe('business calendar', () => {
  it('knows weekends and holidays in its own zone', () => {
    expect(isWorkingDay(at('2025-07-04T12:00:00-04:00'), NEW_YORK)).toBe(false);
    expect(isWorkingDay(at('2025-07-07T12:00:00-04:00'), NEW_YORK)).toBe(true);
    expect(isWorkingDay(at('2025-07-05T12:00:00-04:00'), NEW_YORK)).toBe(false);
  });

  it('counts business days backwards over a holiday', () => {
    // Monday 7 July − 1 business day: Sunday, Saturday, Friday the 4th (holiday) are skipped → Thursday.
    expect(shiftDays(at('2025-07-07T09:00:00-04:00'), 1, 'before', true, NEW_YORK).toISO()).toBe('2025-07-03T09:00:00.000-04:00');
  });

  it('rolls zero business days from a weekend forward or backward', () => {
    const saturday = at('2025-07-05T09:00:00-04:00');
    expect(shiftDays(saturday, 0, 'after', true, NEW_YORK).toISODate()).toBe('2025-07-07');
    expect(shiftDays(saturday, 0, 'before', true, NEW_YORK).toISODate()).toBe('2025-07-03');
  });

  it('gives up on a calendar without reachable working days instead of looping', () => {
    const allHolidays: BusinessCalendar = { timezone: 'UTC', workingDays: [1], holidays: [] };
    const everyMonday = Array.from({ length: 2000 }, (_, i) => DateTime.fromISO('2025-01-06').plus({ weeks: i }).toISODate()!);
    expect(() => shiftDays(at('2025-01-01T00:00:00Z'), 1, 'after', true, { ...allHolidays, holidays: everyMonday })).toThrow(
      expect.objectContaining({ code: DomainErrorCode.InvalidArgument }),
    );
  });

  describe('bounds per tenant', () => {
    const days = (n: number) => Array.from({ length: n }, (_, i) => DateTime.fromISO('2025-01-01').plus({ days: i }).toISODate()!);
    const violations = (calendar: BusinessCalendar) => {
      try {
        validateBusinessCalendar(calendar);
        return [];
      } catch (error) {
        return (error as { fieldViolations: { field: string; description: string }[] }).fieldViolations;
      }
    };

    it('accepts ten years of holidays and all seven weekdays', () => {
      expect(violations({ timezone: 'UTC', workingDays: [1, 2, 3, 4, 5, 6, 7], holidays: days(CALENDAR_LIMITS.holidays) })).toEqual([]);
    });

    it('refuses one holiday more, with the field and the limit', () => {
      expect(violations({ timezone: 'UTC', workingDays: [1], holidays: days(CALENDAR_LIMITS.holidays + 1) })).toEqual([
        { field: 'calendar.holidays', description: `must list at most ${CALENDAR_LIMITS.holidays} dates (ten years)` },
      ]);
    });

    it('refuses more than seven working days', () => {
      expect(violations({ timezone: 'UTC', workingDays: [1, 2, 3, 4, 5, 6, 7, 1], holidays: [] })).toEqual([
        { field: 'calendar.workingDays', description: 'must list at most 7 weekdays' },
      ]);
    });
  });
});
