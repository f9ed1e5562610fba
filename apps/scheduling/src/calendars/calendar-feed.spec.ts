import ICAL from 'ical.js';
import { calendarFeed } from './calendar-feed';
import type { CalendarEntryRow } from './calendars.entities';

const base = {
  tenantId: 'tenant-a',
  calendarId: '0b6f9c1e-7d8a-5f3b-9e2c-4a1d6b8c0e3f',
  contributorId: 'user-anna',
  projectId: null,
  buildId: null,
  status: 'confirmed' as const,
  sequence: 0,
  bookedAt: new Date('2026-11-01T08:00:00Z'),
  updatedAt: new Date('2026-11-02T09:30:00Z'),
};
const shoot: CalendarEntryRow = {
  ...base,
  entryId: '11111111-1111-4111-8111-111111111111',
  entryType: 'project_assignment',
  title: 'Wedding shoot; Müller, Anna & Ben',
  span: { kind: 'timed', start: '2026-03-29T00:30:00.000Z', end: '2026-03-29T02:30:00.000Z' },
  timezone: 'Europe/Berlin',
  projectId: 'lead-7',
  buildId: 'build-3',
  sequence: 2,
  startsAt: new Date('2026-03-29T00:30:00Z'),
  endsAt: new Date('2026-03-29T02:30:00Z'),
};
const holiday: CalendarEntryRow = {
  ...base,
  entryId: '22222222-2222-4222-8222-222222222222',
  entryType: 'holiday',
  title: 'Christmas',
  span: { kind: 'all_day', startDate: '2026-12-24', endDate: '2026-12-26' },
  timezone: 'America/Los_Angeles',
  status: 'cancelled',
  sequence: 1,
  startsAt: new Date('2026-12-24T08:00:00Z'),
  endsAt: new Date('2026-12-27T08:00:00Z'),
};

/** Every VEVENT of an iCalendar text, read by another library (ical.js) than the one that wrote it. */
function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return {
    calendar,
    events: calendar.getAllSubcomponents('vevent').map((component) => {
      const event = new ICAL.Event(component);
      return {
        uid: event.uid,
        summary: event.summary,
        description: event.description,
        sequence: event.sequence,
        status: component.getFirstPropertyValue('status'),
        categories: component.getFirstPropertyValue('categories'),
        allDay: event.startDate.isDate,
        start: event.startDate.isDate ? event.startDate.toString() : event.startDate.toJSDate().toISOString(),
        end: event.endDate.isDate ? event.endDate.toString() : event.endDate.toJSDate().toISOString(),
        stamp: (component.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString(),
      };
    }),
  };
}

describe('calendar feed (RFC 5545, written by ical-generator, read back by ical.js)', () => {
  const expected = [
    {
      uid: `${shoot.entryId}@projectflo`,
      summary: 'Wedding shoot; Müller, Anna & Ben',
      description: 'project lead-7, build build-3',
      sequence: 2,
      status: 'CONFIRMED',
      categories: 'PROJECT_ASSIGNMENT',
      allDay: false,
      // 02:30 does not exist in Berlin that night (spring forward): instants in UTC are unambiguous.
      start: '2026-03-29T00:30:00.000Z',
      end: '2026-03-29T02:30:00.000Z',
      stamp: '2026-11-02T09:30:00.000Z',
    },
    {
      uid: `${holiday.entryId}@projectflo`,
      summary: 'Christmas',
      description: null,
      sequence: 1,
      status: 'CANCELLED',
      categories: 'HOLIDAY',
      allDay: true,
      // Both days included: DTEND is the day after the last, exclusive.
      start: '2026-12-24',
      end: '2026-12-27',
      stamp: '2026-11-02T09:30:00.000Z',
    },
  ];

  it('writes every entry with a stable UID, its sequence, status, times and fields', () => {
    const { calendar, events } = parse(calendarFeed('user-anna', [shoot, holiday]));
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(events).toEqual(expected);
  });

  it('writes the same instants and dates whatever the time zone of the process', () => {
    const zone = process.env['TZ'];
    try {
      for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'UTC']) {
        process.env['TZ'] = tz;
        expect([tz, parse(calendarFeed('user-anna', [shoot, holiday])).events]).toEqual([tz, expected]);
      }
    } finally {
      if (zone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = zone;
    }
  });

  it('is an empty but valid calendar without entries', () => {
    expect(parse(calendarFeed('user-anna', [])).events).toEqual([]);
  });
});
