import type { StreamEvent, ViewFold } from '@projectflo/platform/core';
import { type ContributorCalendarEvent, entryInterval } from '@projectflo/scheduling/domain';
import type { CalendarConflictRow, CalendarEntryRow, ContributorCalendarRow } from './calendars.entities';

/*
 * The contributor calendars' read model as pure folds of a calendar stream: the calendar row, one
 * row per entry and one per conflict. The projection stores them, a command replies with them
 * (calendarEntryReply) and a rebuild replays them.
 */

const eventOf = (recorded: StreamEvent) => ({ type: recorded.type, data: recorded.data }) as ContributorCalendarEvent;

/** The calendar row: which contributor, at which version. */
export const evolveContributorCalendarRow: ViewFold<ContributorCalendarRow> = (_row, recorded) => {
  const { data } = eventOf(recorded);
  return {
    calendarId: data.calendarId,
    tenantId: data.tenantId,
    contributorId: data.contributorId,
    updatedAt: new Date(recorded.metadata.occurredAt),
    version: recorded.streamPosition,
  };
};

/** The entry an event is about, if it is about one. */
export function entryIdOf(recorded: StreamEvent): string | undefined {
  const event = eventOf(recorded);
  switch (event.type) {
    case 'CalendarEntryBooked':
    case 'CalendarEntryMoved':
    case 'CalendarEntryCancelled':
      return event.data.entryId;
    default:
      return undefined;
  }
}

/** The conflict an event is about, if it is about one. */
export function conflictIdOf(recorded: StreamEvent): string | undefined {
  const event = eventOf(recorded);
  return event.type === 'CalendarConflictDetected' || event.type === 'CalendarConflictResolved' ? event.data.conflictId : undefined;
}

function interval(span: CalendarEntryRow['span'], timezone: string): Pick<CalendarEntryRow, 'startsAt' | 'endsAt'> {
  const { start, end } = entryInterval(span, timezone);
  return { startsAt: start.toJSDate(), endsAt: end.toJSDate() };
}

/** One entry's row (events of other entries leave it as it is). */
export const evolveCalendarEntryRow: ViewFold<CalendarEntryRow> = (row, recorded) => {
  const event = eventOf(recorded);
  switch (event.type) {
    case 'CalendarEntryBooked': {
      const d = event.data;
      if (row) return row;
      return {
        entryId: d.entryId,
        tenantId: d.tenantId,
        calendarId: d.calendarId,
        contributorId: d.contributorId,
        entryType: d.entryType,
        title: d.title,
        span: d.span,
        timezone: d.timezone,
        projectId: d.projectId,
        buildId: d.buildId,
        status: 'confirmed',
        sequence: d.sequence,
        ...interval(d.span, d.timezone),
        bookedAt: new Date(d.bookedAt),
        updatedAt: new Date(d.bookedAt),
      };
    }
    case 'CalendarEntryMoved': {
      const d = event.data;
      if (row?.entryId !== d.entryId) return row;
      return { ...row, span: d.span, timezone: d.timezone, sequence: d.sequence, ...interval(d.span, d.timezone), updatedAt: new Date(d.movedAt) };
    }
    case 'CalendarEntryCancelled': {
      const d = event.data;
      if (row?.entryId !== d.entryId) return row;
      return { ...row, status: 'cancelled', sequence: d.sequence, updatedAt: new Date(d.cancelledAt) };
    }
    default:
      return row;
  }
};

/** One conflict's row: open when detected (again), resolved when its pair no longer overlaps. */
export const evolveCalendarConflictRow: ViewFold<CalendarConflictRow> = (row, recorded) => {
  const event = eventOf(recorded);
  switch (event.type) {
    case 'CalendarConflictDetected': {
      const d = event.data;
      if (row && row.conflictId !== d.conflictId) return row;
      return {
        conflictId: d.conflictId,
        tenantId: d.tenantId,
        calendarId: d.calendarId,
        contributorId: d.contributorId,
        kind: d.kind,
        entryIds: [...d.entryIds],
        overlapStart: new Date(d.overlapStart),
        overlapEnd: new Date(d.overlapEnd),
        detectedAt: new Date(d.detectedAt),
        resolved: false,
        resolvedAt: null,
      };
    }
    case 'CalendarConflictResolved': {
      const d = event.data;
      if (row?.conflictId !== d.conflictId) return row;
      return { ...row, resolved: true, resolvedAt: new Date(d.resolvedAt) };
    }
    default:
      return row;
  }
};

/** What a command about one entry replies with: the entry's row and the rows of the conflicts it is part of. */
export interface CalendarEntryReply {
  readonly entry: CalendarEntryRow | undefined;
  readonly conflicts: Readonly<Record<string, CalendarConflictRow>>;
}

/** The reply of a command about `entryId`, folded from the calendar stream with the projection's folds. */
export function calendarEntryReply(entryId: string): ViewFold<CalendarEntryReply> {
  return (reply = { entry: undefined, conflicts: {} }, recorded) => {
    if (entryIdOf(recorded) === entryId) return { ...reply, entry: evolveCalendarEntryRow(reply.entry, recorded) };
    const conflictId = conflictIdOf(recorded);
    if (conflictId === undefined) return reply;
    const conflict = evolveCalendarConflictRow(reply.conflicts[conflictId], recorded);
    if (!conflict?.entryIds.includes(entryId)) return reply;
    return { ...reply, conflicts: { ...reply.conflicts, [conflictId]: conflict } };
  };
}
