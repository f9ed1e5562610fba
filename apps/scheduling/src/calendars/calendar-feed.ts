import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import type { CalendarEntryRow } from './calendars.entities';

/** The domain of every entry's UID: `<entry id>@projectflo`, stable across moves. */
const UID_DOMAIN = 'projectflo';

export const CALENDAR_FEED_CONTENT_TYPE = 'text/calendar; charset=utf-8';

/** A calendar date as a date-only value, whatever the process's TZ (ical-generator formats a luxon DateTime in its own zone). */
const day = (date: string) => DateTime.fromISO(date, { zone: 'utc' });

/**
 * A contributor's entries as an RFC 5545 calendar (ical-generator). Each entry is one VEVENT with a
 * stable UID and its sequence (bumped by every move and by the cancellation), so a subscribed
 * client updates it in place; a cancelled entry stays as STATUS:CANCELLED, which tells clients that
 * already have it to drop it. Timed entries are written in UTC (no VTIMEZONE needed, correct in
 * every reader's zone); all-day entries as dates, DTEND the day after the last (exclusive, as the
 * RFC says). The entry type is its CATEGORIES; project and build ids go in the DESCRIPTION.
 */
export function calendarFeed(contributorId: string, entries: readonly CalendarEntryRow[]): string {
  const calendar = ical({
    name: `ProjectFlo: ${contributorId}`,
    prodId: { company: 'ProjectFlo', product: 'contributor-calendar', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
  });
  for (const entry of entries) {
    const span = entry.span;
    const when =
      span.kind === 'timed'
        ? { start: new Date(span.start), end: new Date(span.end) }
        : { start: day(span.startDate), end: day(span.endDate).plus({ days: 1 }), allDay: true };
    const refs = [entry.projectId ? `project ${entry.projectId}` : '', entry.buildId ? `build ${entry.buildId}` : ''].filter(Boolean);
    calendar.createEvent({
      id: `${entry.entryId}@${UID_DOMAIN}`,
      sequence: entry.sequence,
      stamp: entry.updatedAt,
      created: entry.bookedAt,
      lastModified: entry.updatedAt,
      ...when,
      summary: entry.title,
      ...(refs.length > 0 ? { description: refs.join(', ') } : {}),
      categories: [{ name: entry.entryType.toUpperCase() }],
      status: entry.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
