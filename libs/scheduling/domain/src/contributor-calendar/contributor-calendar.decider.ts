import { assertNever, type CommandMetadata, defineDecider, deriveId, DomainError, Violations } from '@projectflo/platform/core';
import { DateTime } from 'luxon';
import { toInstantString } from '../shared/time';
import type { BookCalendarEntry, CancelCalendarEntry, ContributorCalendarCommand, MoveCalendarEntry } from './contributor-calendar.commands';
import {
  CALENDAR_ENTRY_TYPES,
  type CalendarConflictKind,
  type CalendarEntrySpan,
  type CalendarEntryType,
  type ContributorCalendarEvent,
} from './contributor-calendar.events';

/** Bounds of a contributor calendar (the gRPC edge and the contract apply the same). */
export const CALENDAR_LIMITS = { id: 128, title: 200, reason: 1_000, liveEntries: 1_000, spanDays: 366, sequence: 1_000_000 } as const;

export interface CalendarEntryState {
  readonly entryId: string;
  readonly entryType: CalendarEntryType;
  readonly title: string;
  readonly span: CalendarEntrySpan;
  readonly timezone: string;
  readonly projectId: string | null;
  readonly buildId: string | null;
  readonly sequence: number;
}

export interface OpenConflict {
  readonly conflictId: string;
  readonly kind: CalendarConflictKind;
  readonly entryIds: readonly string[];
  readonly overlapStart: string;
  readonly overlapEnd: string;
}

/**
 * One contributor's calendar: one stream per (tenant, contributor), so every booking is decided
 * against all the others and conflicts are found in the decider. Live entries and open conflicts
 * are kept; a cancelled entry only by its id (a cancelled entry cannot be moved or cancelled again).
 */
export interface ContributorCalendarState {
  readonly calendarId: string | null;
  readonly contributorId: string | null;
  readonly entries: Readonly<Record<string, CalendarEntryState>>;
  readonly cancelled: Readonly<Record<string, true>>;
  readonly conflicts: Readonly<Record<string, OpenConflict>>;
}

export const initialContributorCalendarState = (): ContributorCalendarState => ({
  calendarId: null,
  contributorId: null,
  entries: {},
  cancelled: {},
  conflicts: {},
});

const without = <V>(record: Readonly<Record<string, V>>, key: string): Record<string, V> => {
  const { [key]: _removed, ...rest } = record;
  return rest;
};

export function evolveContributorCalendar(state: ContributorCalendarState, event: ContributorCalendarEvent): ContributorCalendarState {
  switch (event.type) {
    case 'CalendarEntryBooked': {
      const { calendarId, contributorId, entryId, entryType, title, span, timezone, projectId, buildId, sequence } = event.data;
      return { ...state, calendarId, contributorId, entries: { ...state.entries, [entryId]: { entryId, entryType, title, span, timezone, projectId, buildId, sequence } } };
    }
    case 'CalendarEntryMoved': {
      const entry = state.entries[event.data.entryId];
      if (!entry) return state;
      const { span, timezone, sequence } = event.data;
      return { ...state, entries: { ...state.entries, [entry.entryId]: { ...entry, span, timezone, sequence } } };
    }
    case 'CalendarEntryCancelled':
      return { ...state, entries: without(state.entries, event.data.entryId), cancelled: { ...state.cancelled, [event.data.entryId]: true } };
    case 'CalendarConflictDetected': {
      const { conflictId, kind, entryIds, overlapStart, overlapEnd } = event.data;
      return { ...state, conflicts: { ...state.conflicts, [conflictId]: { conflictId, kind, entryIds, overlapStart, overlapEnd } } };
    }
    case 'CalendarConflictResolved':
      return { ...state, conflicts: without(state.conflicts, event.data.conflictId) };
    default:
      return assertNever(event, 'contributor calendar event');
  }
}

/** The half-open interval [start, end) an entry occupies: an all-day entry from its first day's midnight to the midnight after its last, in its zone. */
export function entryInterval(span: CalendarEntrySpan, timezone: string): { readonly start: DateTime; readonly end: DateTime } {
  if (span.kind === 'timed') return { start: DateTime.fromISO(span.start, { zone: 'utc' }), end: DateTime.fromISO(span.end, { zone: 'utc' }) };
  return {
    start: DateTime.fromISO(span.startDate, { zone: timezone }).startOf('day'),
    end: DateTime.fromISO(span.endDate, { zone: timezone }).startOf('day').plus({ days: 1 }),
  };
}

const BUSY: readonly CalendarEntryType[] = ['project_assignment', 'external', 'personal'];
const AWAY: readonly CalendarEntryType[] = ['absence', 'holiday'];

/** Two bookings are a double booking; a booking and an absence or holiday a booking on an absence; two absences nothing. */
export function conflictKind(a: CalendarEntryType, b: CalendarEntryType): CalendarConflictKind | null {
  if (BUSY.includes(a) && BUSY.includes(b)) return 'double_booking';
  if ((BUSY.includes(a) && AWAY.includes(b)) || (AWAY.includes(a) && BUSY.includes(b))) return 'booking_on_absence';
  return null;
}

/** The id of a pair's conflict: the same whichever entry changed. */
export function calendarConflictId(calendarId: string, a: string, b: string): string {
  const [first, second] = [a, b].sort();
  return deriveId('calendar-conflict', calendarId, first!, second!);
}

/** The conflicts `entry` has with the other live entries, by conflict id. */
function conflictsOf(calendarId: string, entry: CalendarEntryState, entries: Readonly<Record<string, CalendarEntryState>>): Map<string, OpenConflict> {
  const found = new Map<string, OpenConflict>();
  const mine = entryInterval(entry.span, entry.timezone);
  for (const other of Object.values(entries)) {
    if (other.entryId === entry.entryId) continue;
    const kind = conflictKind(entry.entryType, other.entryType);
    if (!kind) continue;
    const theirs = entryInterval(other.span, other.timezone);
    if (!(mine.start < theirs.end && theirs.start < mine.end)) continue;
    const conflictId = calendarConflictId(calendarId, entry.entryId, other.entryId);
    found.set(conflictId, {
      conflictId,
      kind,
      entryIds: [entry.entryId, other.entryId].sort(),
      overlapStart: toInstantString(DateTime.max(mine.start, theirs.start)),
      overlapEnd: toInstantString(DateTime.min(mine.end, theirs.end)),
    });
  }
  return found;
}

type Fact = { readonly tenantId: string; readonly calendarId: string; readonly contributorId: string };

/**
 * The conflict events after `entryId` changed (or, with `entry` undefined, was cancelled): pairs it
 * no longer overlaps are resolved, new or changed overlaps detected.
 */
function conflictChanges(
  state: ContributorCalendarState,
  fact: Fact,
  entryId: string,
  entry: CalendarEntryState | undefined,
  entries: Readonly<Record<string, CalendarEntryState>>,
  at: string,
): ContributorCalendarEvent[] {
  const now = entry ? conflictsOf(fact.calendarId, entry, entries) : new Map<string, OpenConflict>();
  const events: ContributorCalendarEvent[] = [];
  for (const open of Object.values(state.conflicts)) {
    if (!open.entryIds.includes(entryId) || now.has(open.conflictId)) continue;
    const { conflictId, kind, entryIds } = open;
    const resolution = entry ? 'entry_moved' : 'entry_cancelled';
    events.push({ type: 'CalendarConflictResolved', data: { ...fact, conflictId, kind, entryIds, resolution, resolvedAt: at } });
  }
  for (const conflict of now.values()) {
    const open = state.conflicts[conflict.conflictId];
    if (open && JSON.stringify(open) === JSON.stringify(conflict)) continue;
    events.push({ type: 'CalendarConflictDetected', data: { ...fact, ...conflict, detectedAt: at } });
  }
  return events;
}

function validateSpan(v: Violations, span: CalendarEntrySpan | undefined, timezone: string): CalendarEntrySpan {
  if (span?.kind === 'timed') {
    const start = requiredInstant(v, 'time.start', span.start);
    const end = requiredInstant(v, 'time.end', span.end);
    const result: CalendarEntrySpan = { kind: 'timed', start: start ?? '', end: end ?? '' };
    if (start !== null && end !== null) checkLength(v, result, timezone, 'time.end');
    return result;
  }
  if (span?.kind === 'all_day') {
    const before = v.count;
    const result: CalendarEntrySpan = { kind: 'all_day', startDate: v.date('time.startDate', span.startDate), endDate: v.date('time.endDate', span.endDate) };
    if (v.count === before && timezone !== '') checkLength(v, result, timezone, 'time.endDate');
    return result;
  }
  v.add('time', 'must be timed (start and end) or all-day (start and end dates)');
  return { kind: 'timed', start: '', end: '' };
}

function requiredInstant(v: Violations, field: string, value: unknown): string | null {
  const before = v.count;
  const instant = v.optionalInstant(field, value);
  if (instant === null && v.count === before) v.add(field, 'is required');
  return instant;
}

/** An optional id: absent or blank is none. */
function optionalId(v: Violations, field: string, value: unknown): string | null {
  return value == null || (typeof value === 'string' && value.trim() === '') ? null : v.identifier(field, value, CALENDAR_LIMITS.id);
}

/** All-day dates an entry may name: their instants, in any zone, stay within what a Timestamp (and every contract) holds. */
const ALL_DAY_RANGE = { first: '0002-01-01', last: '9998-12-31' } as const;

function checkLength(v: Violations, span: CalendarEntrySpan, timezone: string, field: string): void {
  if (span.kind === 'all_day' && (span.startDate < ALL_DAY_RANGE.first || span.endDate > ALL_DAY_RANGE.last)) {
    v.add(field, `all-day dates must be within ${ALL_DAY_RANGE.first}..${ALL_DAY_RANGE.last}`);
    return;
  }
  const { start, end } = entryInterval(span, timezone);
  if (!(start < end)) v.add(field, span.kind === 'timed' ? 'must be after the start' : 'must not be before the start date');
  else if (end.diff(start, 'days').days > CALENDAR_LIMITS.spanDays) v.add(field, `must be at most ${CALENDAR_LIMITS.spanDays} days after the start`);
}

/** The calendar a command addresses, checked against the stream's. */
function target(v: Violations, state: ContributorCalendarState, data: { calendarId: unknown; contributorId: unknown }): { calendarId: string; contributorId: string } {
  const calendarId = v.uuid('calendarId', data.calendarId);
  const contributorId = v.identifier('contributorId', data.contributorId, CALENDAR_LIMITS.id);
  if (state.calendarId !== null && (state.calendarId !== calendarId || state.contributorId !== contributorId)) {
    v.add('contributorId', 'does not match the calendar stream');
  }
  return { calendarId, contributorId };
}

function refuseConflicts(events: readonly ContributorCalendarEvent[], state: ContributorCalendarState, entryId: string): void {
  const created = events.filter((e) => e.type === 'CalendarConflictDetected' && !state.conflicts[e.data.conflictId]);
  if (created.length === 0) return;
  const withEntries = created.map((e) => (e.type === 'CalendarConflictDetected' ? { kind: e.data.kind, entryIds: e.data.entryIds } : null));
  throw DomainError.precondition(`calendar entry ${entryId} conflicts with ${created.length} other entries (reject_on_conflict)`, { entryId, conflicts: withEntries });
}

const at = (metadata: CommandMetadata) => toInstantString(metadata.now);

function decideBook(command: BookCalendarEntry, state: ContributorCalendarState): ContributorCalendarEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const { calendarId, contributorId } = target(v, state, data);
  const entryId = v.uuid('entryId', data.entryId);
  const entryType = v.oneOf('entryType', data.entryType, CALENDAR_ENTRY_TYPES);
  const title = v.text('title', data.title, { required: true, max: CALENDAR_LIMITS.title });
  const timezone = v.timezone('timezone', data.timezone);
  const span = validateSpan(v, data.time, v.count === 0 ? timezone : '');
  const projectId = optionalId(v, 'projectId', data.projectId);
  const buildId = optionalId(v, 'buildId', data.buildId);
  v.throwIfAny();
  if (state.entries[entryId] || state.cancelled[entryId]) throw DomainError.alreadyExists('calendar entry', entryId);
  if (Object.keys(state.entries).length >= CALENDAR_LIMITS.liveEntries) {
    throw DomainError.precondition(`the calendar of ${contributorId} holds ${CALENDAR_LIMITS.liveEntries} entries: cancel some before booking more`, { contributorId });
  }
  const fact = { tenantId: metadata.tenantId, calendarId, contributorId };
  const entry: CalendarEntryState = { entryId, entryType, title, span, timezone, projectId, buildId, sequence: 0 };
  const events: ContributorCalendarEvent[] = [
    { type: 'CalendarEntryBooked', data: { ...fact, ...entry, bookedBy: metadata.actorId, bookedAt: at(metadata) } },
    ...conflictChanges(state, fact, entryId, entry, { ...state.entries, [entryId]: entry }, at(metadata)),
  ];
  if (data.rejectOnConflict) refuseConflicts(events, state, entryId);
  return events;
}

/** A live entry of the calendar, or the refusal that says why not. */
function liveEntry(state: ContributorCalendarState, entryId: string): CalendarEntryState {
  const entry = state.entries[entryId];
  if (entry) return entry;
  if (state.cancelled[entryId]) throw DomainError.precondition(`calendar entry ${entryId} is cancelled`, { entryId });
  throw DomainError.notFound('calendar entry', entryId);
}

function decideMove(command: MoveCalendarEntry, state: ContributorCalendarState): ContributorCalendarEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const { calendarId, contributorId } = target(v, state, data);
  const entryId = v.uuid('entryId', data.entryId);
  const requestedZone = data.timezone == null || data.timezone === '' ? null : v.timezone('timezone', data.timezone);
  v.throwIfAny();
  const entry = liveEntry(state, entryId);
  const timezone = requestedZone ?? entry.timezone;
  const span = validateSpan(v, data.time, timezone);
  v.throwIfAny();
  if (JSON.stringify(span) === JSON.stringify(entry.span) && timezone === entry.timezone) {
    throw DomainError.precondition(`calendar entry ${entryId} already takes place then`, { entryId });
  }
  if (entry.sequence >= CALENDAR_LIMITS.sequence) {
    throw DomainError.precondition(`calendar entry ${entryId} was moved ${CALENDAR_LIMITS.sequence} times: cancel it and book a new one`, { entryId });
  }
  const fact = { tenantId: metadata.tenantId, calendarId, contributorId };
  const moved: CalendarEntryState = { ...entry, span, timezone, sequence: entry.sequence + 1 };
  const events: ContributorCalendarEvent[] = [
    {
      type: 'CalendarEntryMoved',
      data: { ...fact, entryId, span, timezone, previousSpan: entry.span, sequence: moved.sequence, movedBy: metadata.actorId, movedAt: at(metadata) },
    },
    ...conflictChanges(state, fact, entryId, moved, { ...state.entries, [entryId]: moved }, at(metadata)),
  ];
  if (data.rejectOnConflict) refuseConflicts(events, state, entryId);
  return events;
}

function decideCancel(command: CancelCalendarEntry, state: ContributorCalendarState): ContributorCalendarEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const { calendarId, contributorId } = target(v, state, data);
  const entryId = v.uuid('entryId', data.entryId);
  const reason = v.optionalText('reason', data.reason, { max: CALENDAR_LIMITS.reason });
  v.throwIfAny();
  const entry = liveEntry(state, entryId);
  const fact = { tenantId: metadata.tenantId, calendarId, contributorId };
  return [
    {
      type: 'CalendarEntryCancelled',
      data: { ...fact, entryId, reason, sequence: entry.sequence + 1, cancelledBy: metadata.actorId, cancelledAt: at(metadata) },
    },
    ...conflictChanges(state, fact, entryId, undefined, without(state.entries, entryId), at(metadata)),
  ];
}

export const contributorCalendarDecider = defineDecider<ContributorCalendarState, ContributorCalendarCommand, ContributorCalendarEvent>({
  aggregate: 'contributor calendar',
  schemaVersions: {
    CalendarEntryBooked: 1,
    CalendarEntryMoved: 1,
    CalendarEntryCancelled: 1,
    CalendarConflictDetected: 1,
    CalendarConflictResolved: 1,
  },
  initialState: initialContributorCalendarState,
  evolve: evolveContributorCalendar,
  decide(command, state) {
    switch (command.type) {
      case 'BookCalendarEntry':
        return decideBook(command, state);
      case 'MoveCalendarEntry':
        return decideMove(command, state);
      case 'CancelCalendarEntry':
        return decideCancel(command, state);
      default:
        return assertNever(command, 'contributor calendar command');
    }
  },
});

/** The calendar id of a contributor: one calendar per (tenant, contributor). */
export function contributorCalendarId(tenantId: string, contributorId: string): string {
  return deriveId('contributor-calendar', tenantId, contributorId);
}
