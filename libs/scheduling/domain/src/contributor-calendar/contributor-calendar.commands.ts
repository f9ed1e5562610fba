import type { Command } from '@projectflo/platform/core';
import type { CalendarEntrySpan, CalendarEntryType } from './contributor-calendar.events';

/** The calendar a command is for: its id (derived from tenant and contributor by the caller) and the contributor's user id. */
interface CalendarTarget {
  readonly calendarId: string;
  readonly contributorId: string;
}

/** A change that would create a conflict is kept and flagged, unless `rejectOnConflict` asks for a refusal. */
interface ConflictRule {
  readonly rejectOnConflict?: boolean;
}

export type BookCalendarEntry = Command<
  'BookCalendarEntry',
  CalendarTarget &
    ConflictRule & {
      readonly entryId: string;
      readonly entryType: CalendarEntryType;
      readonly title: string;
      /** When: named as the API names it (CalendarEntryTime). */
      readonly time: CalendarEntrySpan;
      readonly timezone: string;
      readonly projectId?: string | null;
      readonly buildId?: string | null;
    }
>;

export type MoveCalendarEntry = Command<
  'MoveCalendarEntry',
  CalendarTarget & ConflictRule & { readonly entryId: string; readonly time: CalendarEntrySpan; readonly timezone?: string | null }
>;

export type CancelCalendarEntry = Command<'CancelCalendarEntry', CalendarTarget & { readonly entryId: string; readonly reason?: string | null }>;

export type ContributorCalendarCommand = BookCalendarEntry | MoveCalendarEntry | CancelCalendarEntry;
