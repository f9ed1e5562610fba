import { randomBytes, randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import ICAL from 'ical.js';
import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { crmOrganizationEventsV1, GRPC_CONTRACTS, grpcServerContract, PROTO_ROOT, schedulingCalendarsV1 } from '@projectflo/contracts';
import { bootstrapGrpcService, callUnary, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import type { EventStore } from '@projectflo/platform/core';
import { databaseUrlFromEnv, withTenantScope } from '@projectflo/platform/persistence';
import { EVENT_STORE, MIKRO_ORM } from '@projectflo/platform/service';
import { contributorCalendarId, SchedulingStreams } from '@projectflo/scheduling/domain';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Caller, eventually, failedCall, freePort, relayedEvent, TestTopics, waitForActiveMember } from '@projectflo/platform/testing';
import { SchedulingAppModule } from '../app.module';
import { schedulingConsumerGroups } from '../testing/scheduling.test-support';
import { CalendarConflictSchema, CalendarEntrySchema } from './calendars.entities';
import { conflictIdOf, entryIdOf, evolveCalendarConflictRow, evolveCalendarEntryRow } from './calendars.view';

// Contributor calendars against real Postgres and Kafka: scheduling in-process on its own schema,
// topics and task queue; callers enrolled the way crm's organization events enrol them.

const DATABASE_URL = databaseUrlFromEnv();
const run = randomBytes(4).toString('hex');
const schema = `sch_cal_${run}`;
const topics = new TestTopics(`${schema}.`);
const T = randomUUID();
const U = randomUUID();
const manager = new Caller(T, randomUUID(), ['manager']);
const anna = new Caller(T, randomUUID(), ['contributor']);
const ben = new Caller(T, randomUUID(), ['contributor']);
const outsider = new Caller(U, randomUUID(), ['owner']);

const { CalendarEntryType: Type, CalendarConflictKind: Kind, CalendarEntryStatus: Status } = schedulingCalendarsV1;
const ts = (iso: string) => ({ seconds: String(Date.parse(iso) / 1000), nanos: 0 });
const iso = (t: { seconds: string } | undefined) => new Date(Number(t?.seconds) * 1000).toISOString();
const timed = (start: string, end: string) => ({ start: ts(start), end: ts(end), startDate: '', endDate: '' });
const JUNE = { from: ts('2027-06-01T00:00:00Z'), to: ts('2027-07-01T00:00:00Z') };

describe('contributor calendars (integration)', () => {
  let running: RunningService<unknown>;
  let client: ReturnType<typeof createGrpcClient>;
  let producer: Producer;
  let pool: Pool;
  const ids: Record<string, string> = {};

  const call = <R>(method: string, request: object, headers: Record<string, string>) => callUnary<R>(client, method, request, headers);
  const book = (caller: Caller, request: Partial<schedulingCalendarsV1.BookCalendarEntryRequest>, requestId?: string) =>
    call<schedulingCalendarsV1.BookCalendarEntryResponse>(
      'BookCalendarEntry',
      { contributorId: anna.actorId, entryType: Type.CALENDAR_ENTRY_TYPE_PROJECT_ASSIGNMENT, title: 'Wedding shoot', timezone: 'Europe/Berlin', ...request },
      caller.command(requestId),
    );
  const conflicts = (includeResolved = false) =>
    call<schedulingCalendarsV1.ListCalendarConflictsResponse>('ListCalendarConflicts', { contributorId: anna.actorId, includeResolved }, manager.query());
  const entries = (caller: Caller, extra: object = {}) =>
    call<schedulingCalendarsV1.ListCalendarEntriesResponse>('ListCalendarEntries', { contributorId: anna.actorId, ...JUNE, ...extra }, caller.query());
  const waitUntil = <V>(what: string, probe: () => Promise<V>, holds: (value: V) => boolean) =>
    eventually(probe, holds, { what, timeoutMs: 45_000, intervalMs: 200 }) as Promise<V>;

  beforeAll(async () => {
    pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
    producer = topics.client(`sch-cal-${run}`).producer();
    await producer.connect();
    running = await bootstrapGrpcService({
      ...grpcServerContract('scheduling'),
      appModule: SchedulingAppModule,
      env: { ...process.env, GRPC_PORT: String(await freePort()), DB_SCHEMA: schema, KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: `sch-cal-${run}`, LOG_LEVEL: 'warn' },
    });
    const contract = GRPC_CONTRACTS['scheduling'];
    client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
    const members: [Caller, crmOrganizationEventsV1.UserRoleV1][] = [[manager, 'Manager'], [anna, 'Contributor'], [ben, 'Contributor'], [outsider, 'Owner']];
    for (const [caller, role] of members) {
      const added = crmOrganizationEventsV1.userAddedV1(caller.tenantId, caller.actorId, role, new Date().toISOString());
      await producer.send({ topic: crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1, messages: [relayedEvent('crm', `organization-${caller.tenantId}`, caller.tenantId, 'UserAdded', added)] });
    }
    for (const [caller, role] of members) await waitForActiveMember(running, caller.tenantId, caller.actorId, role);
  }, 180_000);

  afterAll(async () => {
    client?.close();
    await running?.app.close();
    await producer?.disconnect();
    await topics.delete(schedulingConsumerGroups(schema));
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
  }, 60_000);

  it('books entries, accepting and flagging a double booking and bookings on an absence, and refuses one when asked to', async () => {
    const requestId = randomUUID();
    const shoot = await book(manager, { time: timed('2027-06-05T12:00:00Z', '2027-06-05T20:00:00Z'), projectId: 'lead-7' }, requestId);
    expect(shoot.entry).toMatchObject({ contributorId: anna.actorId, entryType: 'CALENDAR_ENTRY_TYPE_PROJECT_ASSIGNMENT', sequence: 0, status: 'CALENDAR_ENTRY_STATUS_CONFIRMED', projectId: 'lead-7' });
    expect(shoot.conflicts).toEqual([]);
    ids['shoot'] = shoot.entry!.entryId;
    // The same request again is the same booking, not a second one.
    expect((await book(manager, { time: timed('2027-06-05T12:00:00Z', '2027-06-05T20:00:00Z'), projectId: 'lead-7' }, requestId)).entry?.entryId).toBe(ids['shoot']);

    const dinner = await book(anna, { entryType: Type.CALENDAR_ENTRY_TYPE_PERSONAL, title: 'Dinner', time: timed('2027-06-05T18:00:00Z', '2027-06-05T23:00:00Z') });
    ids['dinner'] = dinner.entry!.entryId;
    expect(dinner.conflicts.map((c) => [c.kind, [...c.entryIds].sort(), iso(c.overlapStart), iso(c.overlapEnd)])).toEqual([
      [Kind.CALENDAR_CONFLICT_KIND_DOUBLE_BOOKING, [ids['shoot'], ids['dinner']].sort(), '2027-06-05T18:00:00.000Z', '2027-06-05T20:00:00.000Z'],
    ]);

    // All day on 5 June in Berlin: 2027-06-04T22:00Z .. 2027-06-05T22:00Z.
    const holiday = await book(manager, { entryType: Type.CALENDAR_ENTRY_TYPE_HOLIDAY, title: 'Holiday', time: { startDate: '2027-06-05', endDate: '2027-06-05' } });
    ids['holiday'] = holiday.entry!.entryId;
    expect(holiday.entry).toMatchObject({ startsAt: ts('2027-06-04T22:00:00Z'), endsAt: ts('2027-06-05T22:00:00Z'), time: { startDate: '2027-06-05', endDate: '2027-06-05' } });
    expect(holiday.conflicts.map((c) => c.kind)).toEqual([Kind.CALENDAR_CONFLICT_KIND_BOOKING_ON_ABSENCE, Kind.CALENDAR_CONFLICT_KIND_BOOKING_ON_ABSENCE]);

    const refused = await failedCall(book(manager, { time: timed('2027-06-05T19:00:00Z', '2027-06-05T21:00:00Z'), rejectOnConflict: true }));
    expect(refused.code).toBe(status.FAILED_PRECONDITION);

    const open = await waitUntil('three open conflicts in the read model', () => conflicts(), (r) => r.conflicts.length === 3);
    expect(open.conflicts.map((c) => c.kind).sort()).toEqual([
      Kind.CALENDAR_CONFLICT_KIND_BOOKING_ON_ABSENCE,
      Kind.CALENDAR_CONFLICT_KIND_BOOKING_ON_ABSENCE,
      Kind.CALENDAR_CONFLICT_KIND_DOUBLE_BOOKING,
    ]);
    const listed = await waitUntil('three entries', () => entries(anna), (r) => r.entries.length === 3);
    expect(listed.entries.map((e) => e.entryId)).toEqual([ids['holiday'], ids['shoot'], ids['dinner']]);
    // Published on Kafka: the read model is fed from scheduling.contributor-calendar.v1, and the store holds the conflict events.
    const { rows } = await pool.query<{ type: string; n: number }>(`SELECT type, count(*)::int AS n FROM "${schema}".events WHERE stream_name LIKE 'contributor-calendar-%' GROUP BY type ORDER BY type`);
    expect(rows).toEqual([
      { type: 'CalendarConflictDetected', n: 3 },
      { type: 'CalendarEntryBooked', n: 3 },
    ]);
  });

  it('moves and cancels entries: the sequence grows, conflicts resolve or move with them, and ranges list what overlaps', async () => {
    const moved = await call<schedulingCalendarsV1.MoveCalendarEntryResponse>(
      'MoveCalendarEntry',
      { contributorId: anna.actorId, entryId: ids['dinner'], time: timed('2027-06-05T21:00:00Z', '2027-06-05T23:00:00Z') },
      anna.command(),
    );
    expect(moved.entry).toMatchObject({ sequence: 1, startsAt: ts('2027-06-05T21:00:00Z') });
    // No longer beside the shoot; still on the holiday, now only 21:00-22:00.
    expect(moved.conflicts.map((c) => [c.kind, iso(c.overlapStart), iso(c.overlapEnd)])).toEqual([[Kind.CALENDAR_CONFLICT_KIND_BOOKING_ON_ABSENCE, '2027-06-05T21:00:00.000Z', '2027-06-05T22:00:00.000Z']]);

    const cancelled = await call<schedulingCalendarsV1.CancelCalendarEntryResponse>('CancelCalendarEntry', { contributorId: anna.actorId, entryId: ids['holiday'], reason: 'moved abroad' }, manager.command());
    expect(cancelled.entry).toMatchObject({ status: Status.CALENDAR_ENTRY_STATUS_CANCELLED, sequence: 1 });
    const again = await failedCall(call('CancelCalendarEntry', { contributorId: anna.actorId, entryId: ids['holiday'] }, manager.command()));
    expect(again.code).toBe(status.FAILED_PRECONDITION);

    await waitUntil('no open conflict left', () => conflicts(), (r) => r.conflicts.length === 0);
    const all = await conflicts(true);
    expect(all.conflicts.every((c) => c.resolved && c.resolvedAt !== undefined)).toBe(true);
    expect(all.conflicts).toHaveLength(3);

    await waitUntil('the cancelled holiday in the read model', () => entries(anna, { includeCancelled: true }), (r) => r.entries.some((e) => e.status === Status.CALENDAR_ENTRY_STATUS_CANCELLED));
    expect((await entries(anna)).entries.map((e) => e.entryId)).toEqual([ids['shoot'], ids['dinner']]);
    const evening = await entries(anna, { from: ts('2027-06-05T20:00:00Z'), to: ts('2027-06-05T21:00:00Z') });
    expect(evening.entries).toEqual([]);
    const paged = await entries(anna, { includeCancelled: true, page: { pageSize: 2 } });
    expect(paged.entries.map((e) => e.entryId)).toEqual([ids['holiday'], ids['shoot']]);
    const rest = await entries(anna, { includeCancelled: true, page: { pageSize: 2, pageToken: paged.page?.nextPageToken } });
    expect(rest.entries.map((e) => e.entryId)).toEqual([ids['dinner']]);
    expect(rest.page?.nextPageToken).toBe('');
  });

  it('serves the contributor an RFC 5545 feed that another library reads back entry by entry', async () => {
    const feed = await call<schedulingCalendarsV1.GetCalendarFeedResponse>('GetCalendarFeed', { contributorId: anna.actorId, ...JUNE }, anna.query());
    expect(feed.contentType).toBe('text/calendar; charset=utf-8');
    expect(feed.entryCount).toBe(3);
    const calendar = new ICAL.Component(ICAL.parse(feed.ics));
    const events = calendar.getAllSubcomponents('vevent').map((component) => {
      const event = new ICAL.Event(component);
      const at = (time: ICAL.Time) => (time.isDate ? time.toString() : time.toJSDate().toISOString());
      return [event.uid, event.summary, event.sequence, component.getFirstPropertyValue('status'), at(event.startDate), at(event.endDate)];
    });
    expect(events).toEqual([
      [`${ids['holiday']}@projectflo`, 'Holiday', 1, 'CANCELLED', '2027-06-05', '2027-06-06'],
      [`${ids['shoot']}@projectflo`, 'Wedding shoot', 0, 'CONFIRMED', '2027-06-05T12:00:00.000Z', '2027-06-05T20:00:00.000Z'],
      [`${ids['dinner']}@projectflo`, 'Dinner', 1, 'CONFIRMED', '2027-06-05T21:00:00.000Z', '2027-06-05T23:00:00.000Z'],
    ]);
  });

  it('keeps calendars to their contributor, managers and tenant', async () => {
    const denied = async (pending: Promise<unknown>) => (await failedCall(pending)).code;
    expect(await denied(entries(ben))).toBe(status.PERMISSION_DENIED);
    expect(await denied(book(ben, { time: timed('2027-06-10T10:00:00Z', '2027-06-10T11:00:00Z') }))).toBe(status.PERMISSION_DENIED);
    expect(await denied(call('GetCalendarFeed', { contributorId: anna.actorId, ...JUNE }, ben.query()))).toBe(status.PERMISSION_DENIED);
    expect(await denied(call('ListCalendarConflicts', { contributorId: ben.actorId }, ben.query()))).toBe(status.PERMISSION_DENIED);
    // Another tenant's owner sees nothing of T: anna's calendar in U is empty, her entry unknown there, and she is no user of U.
    expect((await entries(outsider)).entries).toEqual([]);
    expect(await denied(call('MoveCalendarEntry', { contributorId: anna.actorId, entryId: ids['shoot'], time: timed('2027-06-09T10:00:00Z', '2027-06-09T11:00:00Z') }, outsider.command()))).toBe(status.NOT_FOUND);
    expect(await denied(book(outsider, { time: timed('2027-06-10T10:00:00Z', '2027-06-10T11:00:00Z') }))).toBe(status.NOT_FOUND);
    // Ben books his own calendar.
    expect((await book(ben, { contributorId: ben.actorId, entryType: Type.CALENDAR_ENTRY_TYPE_ABSENCE, title: 'Dentist', time: timed('2027-06-10T10:00:00Z', '2027-06-10T11:00:00Z') })).entry?.contributorId).toBe(ben.actorId);
  });

  it('holds in its read model exactly what a replay of the calendar stream folds (RELIABILITY oracle 2)', async () => {
    const store = running.app.get<EventStore>(EVENT_STORE);
    const calendarId = contributorCalendarId(T, anna.actorId);
    const { events } = await store.readStream(SchedulingStreams.contributorCalendar(calendarId));
    const replay = <Row>(keyOf: (e: (typeof events)[number]) => string | undefined, fold: (row: Row | undefined, e: (typeof events)[number]) => Row | undefined) => {
      const rows = new Map<string, Row | undefined>();
      for (const event of events) {
        const key = keyOf(event);
        if (key !== undefined) rows.set(key, fold(rows.get(key), event));
      }
      return [...rows.values()];
    };
    const byId = <Row extends object>(rows: readonly Row[], id: keyof Row) => [...rows].sort((a, b) => String(a[id]).localeCompare(String(b[id])));
    const orm = running.app.get<MikroORM>(MIKRO_ORM);
    await waitUntil('the read model to take the whole stream', () => withTenantScope(orm, T, ({ em }) => em.count(CalendarEntrySchema, { calendarId })), (n) => n === 3);
    const stored = await withTenantScope(orm, T, async ({ em }) => ({
      entries: (await em.find(CalendarEntrySchema, { calendarId })).map((row) => ({ ...row })),
      conflicts: (await em.find(CalendarConflictSchema, { calendarId })).map((row) => ({ ...row })),
    }));
    expect(byId(stored.entries, 'entryId')).toEqual(byId(replay(entryIdOf, evolveCalendarEntryRow) as typeof stored.entries, 'entryId'));
    expect(byId(stored.conflicts, 'conflictId')).toEqual(byId(replay(conflictIdOf, evolveCalendarConflictRow) as typeof stored.conflicts, 'conflictId'));
    expect(stored.conflicts).toHaveLength(3);
  });

  it('refuses malformed times, types and text at the edge, naming the field', async () => {
    const violated = async (request: Partial<schedulingCalendarsV1.BookCalendarEntryRequest>) => {
      const error = await failedCall(book(manager, request));
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      return error.details;
    };
    expect(await violated({ time: { ...timed('2027-06-05T12:00:00Z', '2027-06-05T13:00:00Z'), startDate: '2027-06-05', endDate: '2027-06-05' } })).toContain('time: must have start and end, or start_date and end_date (not both)');
    expect(await violated({ time: timed('2027-06-05T12:00:00Z', '2027-06-05T11:00:00Z') })).toContain('time.end: must be after the start');
    expect(await violated({ time: { startDate: '2027-06-05', endDate: '2028-06-05' } })).toContain('time.end_date: must be at most 366 days after the start');
    expect(await violated({ time: timed('2027-06-05T12:00:00Z', '2027-06-05T13:00:00Z'), title: 'x'.repeat(201) })).toContain('title: must be at most 200 characters');
    expect(await violated({ time: timed('2027-06-05T12:00:00Z', '2027-06-05T13:00:00Z'), entryType: Type.CALENDAR_ENTRY_TYPE_UNSPECIFIED })).toMatch(/^entry_type: /);
    expect(await violated({ time: timed('2027-06-05T12:00:00Z', '2027-06-05T13:00:00Z'), timezone: 'Mars/Base' })).toContain('timezone: must be an IANA time zone');
    const range = await failedCall(entries(anna, { from: JUNE.to, to: JUNE.from }));
    expect([range.code, range.details]).toEqual([status.INVALID_ARGUMENT, 'to: must be after from']);
  });
});
