import type { DomainEvent } from '@projectflo/platform/core';

/** What an entry is: bookings (project assignment, external, personal) keep a contributor busy; absences and holidays keep them away. */
export const CALENDAR_ENTRY_TYPES = ['project_assignment', 'absence', 'holiday', 'external', 'personal'] as const;
export type CalendarEntryType = (typeof CALENDAR_ENTRY_TYPES)[number];

/** When an entry takes place: between two instants, or over whole days (inclusive, in the entry's timezone). */
export type CalendarEntrySpan =
  | { readonly kind: 'timed'; readonly start: string; readonly end: string }
  | { readonly kind: 'all_day'; readonly startDate: string; readonly endDate: string };

export const CALENDAR_CONFLICT_KINDS = ['double_booking', 'booking_on_absence'] as const;
export type CalendarConflictKind = (typeof CALENDAR_CONFLICT_KINDS)[number];

/** Every event names its tenant, calendar and contributor, so each payload stands on its own on Kafka. */
interface CalendarFact {
  readonly tenantId: string;
  readonly calendarId: string;
  readonly contributorId: string;
}

export type CalendarEntryBooked = DomainEvent<
  'CalendarEntryBooked',
  CalendarFact & {
    readonly entryId: string;
    readonly entryType: CalendarEntryType;
    readonly title: string;
    readonly span: CalendarEntrySpan;
    /** IANA zone of the entry: the zone of an all-day entry's dates. */
    readonly timezone: string;
    readonly projectId: string | null;
    readonly buildId: string | null;
    /** The entry's revision (RFC 5545 SEQUENCE): 0 when booked, one more at every move and at the cancellation. */
    readonly sequence: number;
    readonly bookedBy: string;
    readonly bookedAt: string;
  }
>;

export type CalendarEntryMoved = DomainEvent<
  'CalendarEntryMoved',
  CalendarFact & {
    readonly entryId: string;
    readonly span: CalendarEntrySpan;
    readonly timezone: string;
    readonly previousSpan: CalendarEntrySpan;
    readonly sequence: number;
    readonly movedBy: string;
    readonly movedAt: string;
  }
>;

export type CalendarEntryCancelled = DomainEvent<
  'CalendarEntryCancelled',
  CalendarFact & { readonly entryId: string; readonly reason: string | null; readonly sequence: number; readonly cancelledBy: string; readonly cancelledAt: string }
>;

/**
 * Two live entries overlap in a way that needs attention: two bookings (double booking), or a
 * booking and an absence or holiday (booking on an absence). Recorded again with the new overlap
 * when a move changes it; `conflictId` names the pair (the same pair keeps its id).
 */
export type CalendarConflictDetected = DomainEvent<
  'CalendarConflictDetected',
  CalendarFact & {
    readonly conflictId: string;
    readonly kind: CalendarConflictKind;
    /** The two entries, in id order. */
    readonly entryIds: readonly string[];
    readonly overlapStart: string;
    readonly overlapEnd: string;
    readonly detectedAt: string;
  }
>;

/** The pair no longer overlaps: one of them moved or was cancelled. */
export type CalendarConflictResolved = DomainEvent<
  'CalendarConflictResolved',
  CalendarFact & {
    readonly conflictId: string;
    readonly kind: CalendarConflictKind;
    readonly entryIds: readonly string[];
    readonly resolution: 'entry_moved' | 'entry_cancelled';
    readonly resolvedAt: string;
  }
>;

export type ContributorCalendarEvent =
  | CalendarEntryBooked
  | CalendarEntryMoved
  | CalendarEntryCancelled
  | CalendarConflictDetected
  | CalendarConflictResolved;
