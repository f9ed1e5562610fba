import { z } from 'zod';
import { actor, calendarDate, id, instant, list, text, requiredText, timezone, uuid } from './payload-fields';

/*
 * Payload schemas of the events on `scheduling.contributor-calendar.v1` (key: the calendar id, one
 * calendar per tenant and contributor): entries booked, moved and cancelled on a contributor's
 * calendar, and the conflicts scheduling finds among them (double bookings, bookings on an
 * absence). Every payload names its tenant, calendar and contributor. Rules for change as in
 * crm-lead.v1.ts.
 */

export const SCHEDULING_CONTRIBUTOR_CALENDAR_TOPIC_V1 = 'scheduling.contributor-calendar.v1';

export const CALENDAR_ENTRY_TYPES_V1 = ['project_assignment', 'absence', 'holiday', 'external', 'personal'] as const;
export const CALENDAR_CONFLICT_KINDS_V1 = ['double_booking', 'booking_on_absence'] as const;

/** Between two instants, or over whole days (first and last day inclusive, in the entry's timezone). */
export const CalendarEntrySpanV1 = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('timed'), start: instant, end: instant }),
  z.object({ kind: z.literal('all_day'), startDate: calendarDate, endDate: calendarDate }),
]);

const calendarFact = { tenantId: id, calendarId: uuid, contributorId: id };
/** RFC 5545 SEQUENCE of the entry: 0 when booked, one more at every move (at most 1,000,000 moves) and at the cancellation. */
const sequence = z.number().int().min(0).max(1_000_001);

export const CalendarEntryBookedV1 = z.object({
  ...calendarFact,
  entryId: uuid,
  entryType: z.enum(CALENDAR_ENTRY_TYPES_V1),
  title: requiredText(200),
  span: CalendarEntrySpanV1,
  timezone,
  projectId: id.nullable(),
  buildId: id.nullable(),
  sequence,
  bookedBy: actor,
  bookedAt: instant,
});

export const CalendarEntryMovedV1 = z.object({
  ...calendarFact,
  entryId: uuid,
  span: CalendarEntrySpanV1,
  timezone,
  previousSpan: CalendarEntrySpanV1,
  sequence,
  movedBy: actor,
  movedAt: instant,
});

export const CalendarEntryCancelledV1 = z.object({
  ...calendarFact,
  entryId: uuid,
  reason: text(1_000).nullable(),
  sequence,
  cancelledBy: actor,
  cancelledAt: instant,
});

/** Two live entries overlap (recorded again with the new overlap when a move changes it); the pair keeps its conflictId. */
export const CalendarConflictDetectedV1 = z.object({
  ...calendarFact,
  conflictId: uuid,
  kind: z.enum(CALENDAR_CONFLICT_KINDS_V1),
  entryIds: list(uuid, 2),
  overlapStart: instant,
  overlapEnd: instant,
  detectedAt: instant,
});

/** The pair no longer overlaps: one of its entries moved or was cancelled. */
export const CalendarConflictResolvedV1 = z.object({
  ...calendarFact,
  conflictId: uuid,
  kind: z.enum(CALENDAR_CONFLICT_KINDS_V1),
  entryIds: list(uuid, 2),
  resolution: z.enum(['entry_moved', 'entry_cancelled']),
  resolvedAt: instant,
});

/** Event type → its current schema version and payload schema. */
export const schedulingContributorCalendarEventContractsV1 = {
  CalendarEntryBooked: { schemaVersion: 1, schema: CalendarEntryBookedV1 },
  CalendarEntryMoved: { schemaVersion: 1, schema: CalendarEntryMovedV1 },
  CalendarEntryCancelled: { schemaVersion: 1, schema: CalendarEntryCancelledV1 },
  CalendarConflictDetected: { schemaVersion: 1, schema: CalendarConflictDetectedV1 },
  CalendarConflictResolved: { schemaVersion: 1, schema: CalendarConflictResolvedV1 },
} as const;
