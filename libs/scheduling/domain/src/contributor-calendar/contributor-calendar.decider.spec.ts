import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { ACTOR, meta, TENANT } from '../shared/command-metadata.fixtures';
import type { BookCalendarEntry, ContributorCalendarCommand } from './contributor-calendar.commands';
import {
  calendarConflictId,
  contributorCalendarDecider,
  contributorCalendarId,
  entryInterval,
  evolveContributorCalendar,
  initialContributorCalendarState,
} from './contributor-calendar.decider';
import type { CalendarEntrySpan, ContributorCalendarEvent } from './contributor-calendar.events';

const spec = deciderSpecification(contributorCalendarDecider);
const CONTRIBUTOR = 'user-anna';
const CALENDAR = contributorCalendarId(TENANT, CONTRIBUTOR);
const AT = '2025-06-14T10:00:00.000Z';
const fact = { tenantId: TENANT, calendarId: CALENDAR, contributorId: CONTRIBUTOR };
const SHOOT = '11111111-1111-4111-8111-111111111111';
const EDIT = '22222222-2222-4222-8222-222222222222';
const HOLIDAY = '33333333-3333-4333-8333-333333333333';
const SICK = '44444444-4444-4444-8444-444444444444';

const timed = (start: string, end: string): CalendarEntrySpan => ({ kind: 'timed', start, end });
const days = (startDate: string, endDate: string): CalendarEntrySpan => ({ kind: 'all_day', startDate, endDate });
const cmd = <T extends ContributorCalendarCommand['type']>(type: T, data: Omit<Extract<ContributorCalendarCommand, { type: T }>['data'], 'calendarId' | 'contributorId'>) =>
  ({ type, data: { calendarId: CALENDAR, contributorId: CONTRIBUTOR, ...data }, metadata: meta() }) as Extract<ContributorCalendarCommand, { type: T }>;
const book = (entryId: string, span: CalendarEntrySpan, overrides: Partial<BookCalendarEntry['data']> = {}) =>
  cmd('BookCalendarEntry', { entryId, entryType: 'project_assignment', title: 'Wedding shoot', time: span, timezone: 'Europe/Berlin', ...overrides });
const booked = (entryId: string, span: CalendarEntrySpan, overrides: Partial<Extract<ContributorCalendarEvent, { type: 'CalendarEntryBooked' }>['data']> = {}): ContributorCalendarEvent => ({
  type: 'CalendarEntryBooked',
  data: { ...fact, entryId, entryType: 'project_assignment', title: 'Wedding shoot', span, timezone: 'Europe/Berlin', projectId: null, buildId: null, sequence: 0, bookedBy: ACTOR, bookedAt: AT, ...overrides },
});
const detected = (kind: 'double_booking' | 'booking_on_absence', a: string, b: string, overlapStart: string, overlapEnd: string): ContributorCalendarEvent => ({
  type: 'CalendarConflictDetected',
  data: { ...fact, conflictId: calendarConflictId(CALENDAR, a, b), kind, entryIds: [a, b].sort(), overlapStart, overlapEnd, detectedAt: AT },
});
const resolved = (kind: 'double_booking' | 'booking_on_absence', a: string, b: string, resolution: 'entry_moved' | 'entry_cancelled'): ContributorCalendarEvent => ({
  type: 'CalendarConflictResolved',
  data: { ...fact, conflictId: calendarConflictId(CALENDAR, a, b), kind, entryIds: [a, b].sort(), resolution, resolvedAt: AT },
});

const shoot = booked(SHOOT, timed('2025-07-05T12:00:00.000Z', '2025-07-05T20:00:00.000Z'));

describe('contributor calendar', () => {
  describe('booking', () => {
    it('books an entry on an empty calendar, normalising its instants to UTC', () => {
      spec
        .given([])
        .when(book(SHOOT, timed('2025-07-05T14:00:00+02:00', '2025-07-05T22:00:00+02:00'), { projectId: 'lead-7', buildId: ' ' }))
        .then([booked(SHOOT, timed('2025-07-05T12:00:00.000Z', '2025-07-05T20:00:00.000Z'), { projectId: 'lead-7' })]);
    });

    it('accepts a double booking and flags it with the overlap', () => {
      spec
        .given([shoot])
        .when(book(EDIT, timed('2025-07-05T18:00:00Z', '2025-07-05T23:00:00Z'), { entryType: 'personal', title: 'Dinner' }))
        .then([
          booked(EDIT, timed('2025-07-05T18:00:00.000Z', '2025-07-05T23:00:00.000Z'), { entryType: 'personal', title: 'Dinner' }),
          detected('double_booking', EDIT, SHOOT, '2025-07-05T18:00:00.000Z', '2025-07-05T20:00:00.000Z'),
        ]);
    });

    it('refuses a conflicting booking when asked to, naming the entries it would clash with', () => {
      const error = spec.given([shoot]).when(book(EDIT, timed('2025-07-05T19:00:00Z', '2025-07-05T21:00:00Z'), { rejectOnConflict: true })).thenThrows(DomainErrorCode.FailedPrecondition);
      expect(error.details).toMatchObject({ entryId: EDIT, conflicts: [{ kind: 'double_booking', entryIds: [SHOOT, EDIT].sort() }] });
      spec.given([shoot]).when(book(EDIT, timed('2025-07-05T20:00:00Z', '2025-07-05T21:00:00Z'), { rejectOnConflict: true })).then([
        booked(EDIT, timed('2025-07-05T20:00:00.000Z', '2025-07-05T21:00:00.000Z')),
      ]);
    });

    it('flags a booking on an absence, all-day dates taken in the entry’s zone', () => {
      // 2025-07-05 in Berlin is 2025-07-04T22:00Z .. 2025-07-05T22:00Z.
      spec
        .given([shoot])
        .when(book(HOLIDAY, days('2025-07-05', '2025-07-05'), { entryType: 'absence', title: 'Away' }))
        .then([
          booked(HOLIDAY, days('2025-07-05', '2025-07-05'), { entryType: 'absence', title: 'Away' }),
          detected('booking_on_absence', HOLIDAY, SHOOT, '2025-07-05T12:00:00.000Z', '2025-07-05T20:00:00.000Z'),
        ]);
      expect(entryInterval(days('2025-07-05', '2025-07-06'), 'Europe/Berlin')).toEqual({
        start: expect.objectContaining({ ts: Date.parse('2025-07-04T22:00:00Z') }),
        end: expect.objectContaining({ ts: Date.parse('2025-07-06T22:00:00Z') }),
      });
    });

    it('finds nothing between two absences, or entries that only touch', () => {
      const away = booked(HOLIDAY, days('2025-07-05', '2025-07-06'), { entryType: 'holiday', title: 'Holiday' });
      spec.given([away]).when(book(SICK, days('2025-07-06', '2025-07-08'), { entryType: 'absence', title: 'Sick' })).then([
        booked(SICK, days('2025-07-06', '2025-07-08'), { entryType: 'absence', title: 'Sick' }),
      ]);
      spec.given([shoot]).when(book(EDIT, timed('2025-07-05T20:00:00Z', '2025-07-05T21:00:00Z'))).then([booked(EDIT, timed('2025-07-05T20:00:00.000Z', '2025-07-05T21:00:00.000Z'))]);
    });

    it('refuses an entry whose end is not after its start, one too long, bad fields, and a known entry id', () => {
      spec.given([]).when(book(EDIT, timed('2025-07-05T20:00:00Z', '2025-07-05T20:00:00Z'))).thenThrows(DomainErrorCode.InvalidArgument, ['time.end']);
      spec.given([]).when(book(EDIT, days('2025-07-05', '2026-07-06'))).thenThrows(DomainErrorCode.InvalidArgument, ['time.endDate']);
      spec.given([]).when(book(EDIT, days('2025-07-06', '2025-07-05'))).thenThrows(DomainErrorCode.InvalidArgument, ['time.endDate']);
      // Dates whose instants would leave what a Timestamp holds, in a zone far from UTC.
      spec.given([]).when(book(EDIT, days('9999-12-31', '9999-12-31'), { timezone: 'Pacific/Kiritimati' })).thenThrows(DomainErrorCode.InvalidArgument, ['time.endDate']);
      spec.given([]).when(book(EDIT, days('0001-01-01', '0001-01-01'))).thenThrows(DomainErrorCode.InvalidArgument, ['time.endDate']);
      spec
        .given([])
        .when(book('not-a-uuid', timed('2025-07-05T20:00:00', 'x'), { title: ' ', timezone: 'Mars/Base', entryType: 'nap' as never }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['entryId', 'entryType', 'title', 'timezone', 'time.start', 'time.end']);
      spec.given([shoot]).when(book(SHOOT, timed('2025-08-05T12:00:00Z', '2025-08-05T13:00:00Z'))).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('refuses a command for another contributor than the stream’s', () => {
      const other = { ...book(EDIT, timed('2025-08-05T12:00:00Z', '2025-08-05T13:00:00Z')) };
      spec.given([shoot]).when({ ...other, data: { ...other.data, contributorId: 'user-ben' } }).thenThrows(DomainErrorCode.InvalidArgument, ['contributorId']);
    });
  });

  describe('moving and cancelling', () => {
    const dinner = booked(EDIT, timed('2025-07-05T18:00:00.000Z', '2025-07-05T23:00:00.000Z'), { entryType: 'personal', title: 'Dinner' });
    const clash = detected('double_booking', EDIT, SHOOT, '2025-07-05T18:00:00.000Z', '2025-07-05T20:00:00.000Z');

    it('moves an entry, bumping its sequence, and resolves the conflict it leaves', () => {
      spec
        .given([shoot, dinner, clash])
        .when(cmd('MoveCalendarEntry', { entryId: EDIT, time: timed('2025-07-05T21:00:00Z', '2025-07-05T23:00:00Z') }))
        .then([
          {
            type: 'CalendarEntryMoved',
            data: {
              ...fact,
              entryId: EDIT,
              span: timed('2025-07-05T21:00:00.000Z', '2025-07-05T23:00:00.000Z'),
              timezone: 'Europe/Berlin',
              previousSpan: dinner.type === 'CalendarEntryBooked' ? dinner.data.span : timed('', ''),
              sequence: 1,
              movedBy: ACTOR,
              movedAt: AT,
            },
          },
          resolved('double_booking', EDIT, SHOOT, 'entry_moved'),
        ]);
    });

    it('records a changed overlap again, and a new one when a move creates it', () => {
      const events = contributorCalendarDecider.decide(
        cmd('MoveCalendarEntry', { entryId: EDIT, time: timed('2025-07-05T19:00:00Z', '2025-07-05T23:00:00Z') }),
        [shoot, dinner, clash].reduce(evolveContributorCalendar, initialContributorCalendarState()),
      );
      expect(events.map((e) => e.type)).toEqual(['CalendarEntryMoved', 'CalendarConflictDetected']);
      expect(events[1]).toEqual(detected('double_booking', EDIT, SHOOT, '2025-07-05T19:00:00.000Z', '2025-07-05T20:00:00.000Z'));
      spec
        .given([shoot, booked(EDIT, timed('2025-07-06T18:00:00.000Z', '2025-07-06T19:00:00.000Z'))])
        .when(cmd('MoveCalendarEntry', { entryId: EDIT, time: timed('2025-07-05T19:00:00Z', '2025-07-05T21:00:00Z'), rejectOnConflict: true }))
        .thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('refuses a move to where the entry already is, and moving an unknown or cancelled entry', () => {
      spec.given([shoot]).when(cmd('MoveCalendarEntry', { entryId: SHOOT, time: timed('2025-07-05T14:00:00+02:00', '2025-07-05T20:00:00Z') })).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given([shoot]).when(cmd('MoveCalendarEntry', { entryId: EDIT, time: timed('2025-07-05T14:00:00Z', '2025-07-05T20:00:00Z') })).thenThrows(DomainErrorCode.NotFound);
      const cancelled: ContributorCalendarEvent = { type: 'CalendarEntryCancelled', data: { ...fact, entryId: SHOOT, reason: null, sequence: 1, cancelledBy: ACTOR, cancelledAt: AT } };
      spec.given([shoot, cancelled]).when(cmd('MoveCalendarEntry', { entryId: SHOOT, time: timed('2025-07-06T14:00:00Z', '2025-07-06T20:00:00Z') })).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given([shoot, cancelled]).when(cmd('CancelCalendarEntry', { entryId: SHOOT })).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('refuses to move an entry past the largest sequence, and still cancels it then', () => {
      const worn: ContributorCalendarEvent = {
        type: 'CalendarEntryMoved',
        data: { ...fact, entryId: SHOOT, span: timed('2025-07-06T12:00:00.000Z', '2025-07-06T20:00:00.000Z'), timezone: 'Europe/Berlin', previousSpan: timed('', ''), sequence: 1_000_000, movedBy: ACTOR, movedAt: AT },
      };
      spec.given([shoot, worn]).when(cmd('MoveCalendarEntry', { entryId: SHOOT, time: timed('2025-07-07T12:00:00Z', '2025-07-07T20:00:00Z') })).thenThrows(DomainErrorCode.FailedPrecondition);
      const [cancelled] = contributorCalendarDecider.decide(cmd('CancelCalendarEntry', { entryId: SHOOT }), [shoot, worn].reduce(evolveContributorCalendar, initialContributorCalendarState()));
      expect(cancelled?.type === 'CalendarEntryCancelled' && cancelled.data.sequence).toBe(1_000_001);
    });

    it('cancels an entry, bumping its sequence and resolving its conflicts', () => {
      spec
        .given([shoot, dinner, clash])
        .when(cmd('CancelCalendarEntry', { entryId: SHOOT, reason: ' rain ' }))
        .then([
          { type: 'CalendarEntryCancelled', data: { ...fact, entryId: SHOOT, reason: 'rain', sequence: 1, cancelledBy: ACTOR, cancelledAt: AT } },
          resolved('double_booking', EDIT, SHOOT, 'entry_cancelled'),
        ]);
    });
  });

  it('gives every (tenant, contributor) its own calendar id, and a pair of entries one conflict id whichever changed', () => {
    expect(contributorCalendarId(TENANT, CONTRIBUTOR)).not.toBe(contributorCalendarId('tenant-b', CONTRIBUTOR));
    expect(calendarConflictId(CALENDAR, SHOOT, EDIT)).toBe(calendarConflictId(CALENDAR, EDIT, SHOOT));
  });
});
