import { schedulingCalendarsV1, schedulingContributorCalendarEventsV1 } from '@projectflo/contracts';
import { enumMapping, optionalCalendarDate, optionalTimestamp, toTimestamp } from '@projectflo/platform/grpc';
import type { CalendarConflictKind, CalendarEntrySpan, CalendarEntryType } from '@projectflo/scheduling/domain';
import { z } from 'zod';
import type { CalendarConflictRow, CalendarEntryRow } from './calendars.entities';

/** Translations between the gRPC contract (calendars.proto) and the contributor calendar domain. */

/** Every event type of a calendar stream, as its published contract lists them. */
export const SCHEDULING_CONTRIBUTOR_CALENDAR_EVENT_TYPES: readonly string[] = Object.keys(
  schedulingContributorCalendarEventsV1.schedulingContributorCalendarEventContractsV1,
);

export const calendarEntryType = enumMapping<schedulingCalendarsV1.CalendarEntryType, CalendarEntryType>(schedulingCalendarsV1.CalendarEntryType, {
  CALENDAR_ENTRY_TYPE_PROJECT_ASSIGNMENT: 'project_assignment',
  CALENDAR_ENTRY_TYPE_ABSENCE: 'absence',
  CALENDAR_ENTRY_TYPE_HOLIDAY: 'holiday',
  CALENDAR_ENTRY_TYPE_EXTERNAL: 'external',
  CALENDAR_ENTRY_TYPE_PERSONAL: 'personal',
});

export const calendarEntryStatus = enumMapping<schedulingCalendarsV1.CalendarEntryStatus, CalendarEntryRow['status']>(schedulingCalendarsV1.CalendarEntryStatus, {
  CALENDAR_ENTRY_STATUS_CONFIRMED: 'confirmed',
  CALENDAR_ENTRY_STATUS_CANCELLED: 'cancelled',
});

export const calendarConflictKind = enumMapping<schedulingCalendarsV1.CalendarConflictKind, CalendarConflictKind>(schedulingCalendarsV1.CalendarConflictKind, {
  CALENDAR_CONFLICT_KIND_DOUBLE_BOOKING: 'double_booking',
  CALENDAR_CONFLICT_KIND_BOOKING_ON_ABSENCE: 'booking_on_absence',
});

/**
 * CalendarEntryTime as the domain's span: start and end (timed) or start_date and end_date
 * (all-day), never both; whether each is there and well-formed the edge checks, the rest (order,
 * length) the decider.
 */
export const entryTime = z
  .object({ start: optionalTimestamp, end: optionalTimestamp, startDate: optionalCalendarDate.optional(), endDate: optionalCalendarDate.optional() })
  .nullish()
  .superRefine((time, ctx) => {
    const timed = time?.start !== undefined || time?.end !== undefined;
    const allDay = Boolean(time?.startDate) || Boolean(time?.endDate);
    if (timed === allDay) ctx.addIssue({ code: 'custom', message: 'must have start and end, or start_date and end_date (not both)' });
    else if (timed && (time?.start === undefined || time.end === undefined)) ctx.addIssue({ code: 'custom', path: [time?.start ? 'end' : 'start'], message: 'is required' });
    else if (allDay && (!time?.startDate || !time.endDate)) ctx.addIssue({ code: 'custom', path: [time?.startDate ? 'endDate' : 'startDate'], message: 'is required' });
  })
  .transform(
    (time): CalendarEntrySpan =>
      time?.start !== undefined
        ? { kind: 'timed', start: time.start.toISOString(), end: time.end?.toISOString() ?? '' }
        : { kind: 'all_day', startDate: time?.startDate ?? '', endDate: time?.endDate ?? '' },
  );

function timeToProto(span: CalendarEntrySpan): schedulingCalendarsV1.CalendarEntryTime {
  return span.kind === 'timed'
    ? { start: toTimestamp(span.start), end: toTimestamp(span.end), startDate: '', endDate: '' }
    : { startDate: span.startDate, endDate: span.endDate };
}

export function entryToProto(row: CalendarEntryRow): schedulingCalendarsV1.CalendarEntry {
  return {
    entryId: row.entryId,
    contributorId: row.contributorId,
    entryType: calendarEntryType.toProto(row.entryType),
    title: row.title,
    time: timeToProto(row.span),
    timezone: row.timezone,
    projectId: row.projectId ?? '',
    buildId: row.buildId ?? '',
    status: calendarEntryStatus.toProto(row.status),
    sequence: row.sequence,
    startsAt: toTimestamp(row.startsAt),
    endsAt: toTimestamp(row.endsAt),
    bookedAt: toTimestamp(row.bookedAt),
    updatedAt: toTimestamp(row.updatedAt),
  };
}

export function conflictToProto(row: CalendarConflictRow): schedulingCalendarsV1.CalendarConflict {
  return {
    conflictId: row.conflictId,
    contributorId: row.contributorId,
    kind: calendarConflictKind.toProto(row.kind),
    entryIds: [...row.entryIds],
    overlapStart: toTimestamp(row.overlapStart),
    overlapEnd: toTimestamp(row.overlapEnd),
    detectedAt: toTimestamp(row.detectedAt),
    resolved: row.resolved,
    ...(row.resolvedAt ? { resolvedAt: toTimestamp(row.resolvedAt) } : {}),
  };
}
