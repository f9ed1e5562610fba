import type { StreamEvent } from '@projectflo/platform/core';
import { contributorCalendarDecider, contributorCalendarId, type ContributorCalendarCommand, type ContributorCalendarEvent } from '@projectflo/scheduling/domain';
import { calendarEntryReply, evolveCalendarConflictRow, evolveCalendarEntryRow, evolveContributorCalendarRow } from './calendars.view';

const TENANT = 'tenant-a';
const CONTRIBUTOR = 'user-anna';
const calendarId = contributorCalendarId(TENANT, CONTRIBUTOR);
const [SHOOT, DINNER] = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
const target = { calendarId, contributorId: CONTRIBUTOR };
const timed = (start: string, end: string) => ({ kind: 'timed' as const, start, end });
const book = (entryId: string, start: string, end: string) =>
  ({ type: 'BookCalendarEntry', data: { ...target, entryId, entryType: 'project_assignment', title: 'Shoot', time: timed(start, end), timezone: 'Europe/Berlin' } }) as const;

/** The stream a series of commands makes, as the store would hand it to a fold. */
function stream(commands: readonly Omit<ContributorCalendarCommand, 'metadata'>[]): StreamEvent[] {
  const events: ContributorCalendarEvent[] = [];
  const metadata = { tenantId: TENANT, actorId: 'user-ops', actorKind: 'user' as const, requestId: 'r', now: new Date('2027-06-01T08:00:00Z') };
  for (const command of commands) {
    const state = events.reduce(contributorCalendarDecider.evolve, contributorCalendarDecider.initialState());
    events.push(...contributorCalendarDecider.decide({ ...command, metadata } as ContributorCalendarCommand, state));
  }
  return events.map((event, i) => ({ ...event, eventId: `e${i}`, streamPosition: i + 1, metadata: { ...metadata, occurredAt: '2027-06-01T08:00:00.000Z' } }) as unknown as StreamEvent);
}

describe('contributor calendar read model folds', () => {
  const events = stream([
    book(SHOOT, '2027-06-05T12:00:00Z', '2027-06-05T20:00:00Z'),
    book(DINNER, '2027-06-05T18:00:00Z', '2027-06-05T23:00:00Z'),
    { type: 'MoveCalendarEntry', data: { ...target, entryId: DINNER, time: timed('2027-06-05T21:00:00Z', '2027-06-05T23:00:00Z') } },
    { type: 'CancelCalendarEntry', data: { ...target, entryId: SHOOT } },
  ]);

  it('keeps one calendar row at the stream version', () => {
    expect(events.reduce(evolveContributorCalendarRow, undefined)).toMatchObject({ calendarId, tenantId: TENANT, contributorId: CONTRIBUTOR, version: events.length });
  });

  it('folds an entry’s row from its own events only, with the instants it occupies', () => {
    const dinner = events.filter((e) => (e.data as { entryId?: string }).entryId === DINNER).reduce(evolveCalendarEntryRow, undefined);
    expect(dinner).toMatchObject({ entryId: DINNER, status: 'confirmed', sequence: 1, startsAt: new Date('2027-06-05T21:00:00Z'), endsAt: new Date('2027-06-05T23:00:00Z') });
    const shoot = events.filter((e) => (e.data as { entryId?: string }).entryId === SHOOT).reduce(evolveCalendarEntryRow, undefined);
    expect(shoot).toMatchObject({ status: 'cancelled', sequence: 1 });
  });

  it('opens a conflict when detected and resolves it when its pair no longer overlaps', () => {
    const conflict = events.filter((e) => e.type.startsWith('CalendarConflict')).reduce(evolveCalendarConflictRow, undefined);
    expect(conflict).toMatchObject({ kind: 'double_booking', entryIds: [SHOOT, DINNER].sort(), resolved: true, overlapStart: new Date('2027-06-05T18:00:00Z') });
  });

  it('replies to a command with the rows the projection stores: the entry and the conflicts it is part of', () => {
    const before = events.slice(0, 3);
    const reply = before.reduce(calendarEntryReply(DINNER), undefined);
    expect(reply?.entry?.entryId).toBe(DINNER);
    expect(Object.values(reply?.conflicts ?? {}).map((c) => [c.kind, c.resolved])).toEqual([['double_booking', false]]);
    expect(events.reduce(calendarEntryReply(SHOOT), undefined)?.entry).toEqual(events.filter((e) => (e.data as { entryId?: string }).entryId === SHOOT).reduce(evolveCalendarEntryRow, undefined));
  });
});
