import { randomBytes, randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { crmOrganizationEventsV1, GRPC_CONTRACTS, grpcServerContract, ledgerBuildEventsV1, PROTO_ROOT, type schedulingAssignmentsV1, schedulingCalendarsV1 } from '@projectflo/contracts';
import { bootstrapGrpcService, callUnary, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { projectAssignmentEntryId, projectAssignmentPlanId, SchedulingStreams } from '@projectflo/scheduling/domain';
import { Caller, eventually, failedCall, freePort, relayedEvent, TestTopics, waitForActiveMember } from '@projectflo/platform/testing';
import type { z } from 'zod';
import { SchedulingAppModule } from '../app.module';
import { schedulingConsumerGroups } from '../testing/scheduling.test-support';

// Project assignments against real Postgres and Kafka: scheduling in-process on its own schema,
// topics and task queue; BuildBooked published the way build-ledger's relay publishes it.

const DATABASE_URL = databaseUrlFromEnv();
const run = randomBytes(4).toString('hex');
const schema = `sch_pa_${run}`;
const topics = new TestTopics(`${schema}.`);
const T = randomUUID();
const U = randomUUID();
const manager = new Caller(T, randomUUID(), ['manager']);
const anna = new Caller(T, randomUUID(), ['contributor']);
const ben = new Caller(T, randomUUID(), ['contributor']);
const outsider = new Caller(U, randomUUID(), ['owner']);

type BuildBooked = z.infer<typeof ledgerBuildEventsV1.BuildBookedV1>;
type Coverage = BuildBooked['coverage'][number];
const coverage = (assignmentId: string, operatorTypeName: string, quantity: number): Coverage => ({
  assignmentId,
  sceneId: 'ceremony',
  sceneName: 'Ceremony',
  operatorTypeId: operatorTypeName.toLowerCase().replace(/ /g, '-'),
  operatorTypeName,
  quantity,
  hours: '8.00',
});
const booked = (buildId: string, lines: Coverage[], overrides: Partial<BuildBooked> = {}): BuildBooked => ({
  tenantId: T,
  buildId,
  version: 1,
  leadId: null,
  clientId: null,
  projectId: 'project-7',
  name: 'Smith wedding',
  eventDate: '2027-06-12',
  approvedTotal: { amountMinor: 450_000, currency: 'EUR' },
  components: [],
  coverage: lines,
  bookedBy: manager.actorId,
  bookedAt: '2026-12-01T10:00:00.000Z',
  ...overrides,
});
const ts = (iso: string) => ({ seconds: String(Date.parse(iso) / 1000), nanos: 0 });

describe('project assignments (integration)', () => {
  let running: RunningService<unknown>;
  let client: ReturnType<typeof createGrpcClient>;
  let producer: Producer;
  let pool: Pool;
  const BUILD = randomUUID();

  const call = <R>(method: string, request: object, headers: Record<string, string>) => callUnary<R>(client, method, request, headers);
  const publish = (data: BuildBooked, eventId: string = randomUUID()) =>
    producer.send({ topic: ledgerBuildEventsV1.LEDGER_BUILD_TOPIC_V1, messages: [relayedEvent('build-ledger', `build-${data.buildId}`, data.tenantId, 'BuildBooked', data, { eventId })] });
  const list = (request: Partial<schedulingAssignmentsV1.ListProjectAssignmentsRequest>, caller: Caller = manager) =>
    call<schedulingAssignmentsV1.ListProjectAssignmentsResponse>('ListProjectAssignments', request, caller.query());
  const assign = (assignmentId: string, contributorId: string, buildId = BUILD, caller: Caller = manager) =>
    call<schedulingAssignmentsV1.AssignContributorResponse>('AssignContributor', { buildId, assignmentId, contributorId }, caller.command());
  const waitUntil = <V>(what: string, probe: () => Promise<V>, holds: (value: V) => boolean) => eventually(probe, holds, { what, timeoutMs: 45_000, intervalMs: 200 }) as Promise<V>;
  const planEvents = async (buildId: string) =>
    (
      await pool.query<{ type: string }>(`SELECT type FROM "${schema}".events WHERE stream_name = $1 ORDER BY stream_position`, [
        SchedulingStreams.projectAssignments(projectAssignmentPlanId(T, buildId)),
      ])
    ).rows.map((r) => r.type);

  beforeAll(async () => {
    pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
    producer = topics.client(`sch-pa-${run}`).producer();
    await producer.connect();
    running = await bootstrapGrpcService({
      ...grpcServerContract('scheduling'),
      appModule: SchedulingAppModule,
      env: { ...process.env, GRPC_PORT: String(await freePort()), DB_SCHEMA: schema, KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: `sch-pa-${run}`, LOG_LEVEL: 'warn' },
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

  it('places a booked build’s coverage unassigned, once however often BuildBooked arrives', async () => {
    const booking = booked(BUILD, [coverage('cov-lead', 'Lead photographer', 1), coverage('cov-second', 'Second shooter', 2)]);
    const eventId = randomUUID();
    await publish(booking, eventId);
    await publish(booking, eventId);
    await publish(booking);
    const listed = await waitUntil('the two lines of the build', () => list({ buildId: BUILD }), (r) => r.assignments.length === 2);
    expect(listed.assignments.map((a) => [a.assignmentId, a.operatorTypeName, a.quantity, a.openPlaces, a.eventDate, a.buildVersion, a.places.length])).toEqual([
      ['cov-lead', 'Lead photographer', 1, 1, '2027-06-12', 1, 0],
      ['cov-second', 'Second shooter', 2, 2, '2027-06-12', 1, 0],
    ]);
    // A later build on the same key marks the point all three deliveries were handled by.
    await publish(booked(BUILD, [coverage('cov-lead', 'Lead photographer', 1), coverage('cov-second', 'Second shooter', 2)], { version: 2 }));
    await waitUntil('version 2 handled', () => pool.query(`SELECT 1 FROM "${schema}".inbox WHERE consumer_group = $1`, [`${schema}.project-assignments`]), (r) => (r.rowCount ?? 0) === 3);
    expect(await planEvents(BUILD)).toEqual(['ProjectAssignmentsPlaced']);
    // Another tenant sees none of it.
    expect((await list({ buildId: BUILD }, outsider)).assignments).toEqual([]);
  });

  it('assigns contributors: each place booked on their calendar on the event day, in the same append', async () => {
    const result = await assign('cov-second', anna.actorId);
    const entryId = projectAssignmentEntryId(projectAssignmentPlanId(T, BUILD), 'cov-second', anna.actorId);
    expect(result.assignment).toMatchObject({ assignmentId: 'cov-second', openPlaces: 1, places: [{ contributorId: anna.actorId, calendarEntryId: entryId }] });
    expect(await planEvents(BUILD)).toEqual(['ProjectAssignmentsPlaced', 'ProjectContributorAssigned']);

    const entries = await waitUntil(
      'the project assignment on Anna’s calendar',
      () =>
        call<schedulingCalendarsV1.ListCalendarEntriesResponse>(
          'ListCalendarEntries',
          { contributorId: anna.actorId, from: ts('2027-06-01T00:00:00Z'), to: ts('2027-07-01T00:00:00Z') },
          anna.query(),
        ),
      (r) => r.entries.length === 1,
    );
    expect(entries.entries[0]).toMatchObject({
      entryId,
      entryType: schedulingCalendarsV1.CalendarEntryType.CALENDAR_ENTRY_TYPE_PROJECT_ASSIGNMENT,
      title: 'Second shooter · Ceremony · Smith wedding',
      time: { startDate: '2027-06-12', endDate: '2027-06-12' },
      buildId: BUILD,
      projectId: 'project-7',
    });

    // The same contributor twice, a full line, unknown lines, builds and people: refused, nothing written.
    expect((await failedCall(assign('cov-second', anna.actorId))).code).toBe(status.FAILED_PRECONDITION);
    await assign('cov-lead', ben.actorId);
    expect((await failedCall(assign('cov-lead', anna.actorId))).code).toBe(status.FAILED_PRECONDITION);
    expect((await failedCall(assign('cov-none', anna.actorId))).code).toBe(status.NOT_FOUND);
    expect((await failedCall(assign('cov-second', randomUUID()))).code).toBe(status.NOT_FOUND);
    expect((await failedCall(assign('cov-second', outsider.actorId, BUILD, outsider))).code).toBe(status.NOT_FOUND);
    expect((await failedCall(assign('cov-second', ben.actorId, BUILD, anna))).code).toBe(status.PERMISSION_DENIED);
    const invalid = await failedCall(call('AssignContributor', { buildId: '', assignmentId: 'x'.repeat(129), contributorId: ben.actorId }, manager.command()));
    expect(invalid.code).toBe(status.INVALID_ARGUMENT);
    expect(await planEvents(BUILD)).toEqual(['ProjectAssignmentsPlaced', 'ProjectContributorAssigned', 'ProjectContributorAssigned']);

    const open = await waitUntil('only the second shooter line open', () => list({ unassignedOnly: true }), (r) => r.assignments.every((a) => a.assignmentId !== 'cov-lead'));
    expect(open.assignments.filter((a) => a.buildId === BUILD).map((a) => [a.assignmentId, a.openPlaces])).toEqual([['cov-second', 1]]);
  });

  it('places what a later version adds and keeps what was assigned; a build without an event date cannot be booked yet', async () => {
    await publish(booked(BUILD, [coverage('cov-lead', 'Lead photographer', 1), coverage('cov-second', 'Second shooter', 2), coverage('cov-video', 'Videographer', 1)], { version: 3 }));
    const listed = await waitUntil('the line version 3 added', () => list({ buildId: BUILD }), (r) => r.assignments.length === 3);
    expect(listed.assignments.map((a) => [a.assignmentId, a.buildVersion, a.places.map((p) => p.contributorId)])).toEqual([
      ['cov-lead', 1, [ben.actorId]],
      ['cov-second', 1, [anna.actorId]],
      ['cov-video', 3, []],
    ]);

    // Version 4 moves the day: the plan takes it, and the booked places' calendar entries move with it.
    const lines = [coverage('cov-lead', 'Lead photographer', 1), coverage('cov-second', 'Second shooter', 2), coverage('cov-video', 'Videographer', 1)];
    await publish(booked(BUILD, lines, { version: 4, eventDate: '2027-06-19' }));
    await waitUntil('the plan on the new day', () => list({ buildId: BUILD }), (r) => r.assignments.every((a) => a.eventDate === '2027-06-19'));
    const annasEntry = projectAssignmentEntryId(projectAssignmentPlanId(T, BUILD), 'cov-second', anna.actorId);
    const moved = await waitUntil(
      'Anna’s place moved to the new day',
      () =>
        call<schedulingCalendarsV1.ListCalendarEntriesResponse>(
          'ListCalendarEntries',
          { contributorId: anna.actorId, from: ts('2027-06-01T00:00:00Z'), to: ts('2027-07-01T00:00:00Z') },
          anna.query(),
        ),
      (r) => r.entries.some((e) => e.entryId === annasEntry && e.time?.startDate === '2027-06-19'),
    );
    expect(moved.entries.map((e) => [e.entryId, e.time?.startDate, e.sequence])).toEqual([[annasEntry, '2027-06-19', 1]]);
    // Version 3 delivered again (late): the plan keeps version 4's day and nothing moves back.
    const late = randomUUID();
    await publish(booked(BUILD, lines, { version: 3 }), late);
    await waitUntil('the late version 3 handled', () => pool.query(`SELECT 1 FROM "${schema}".inbox WHERE consumer_group = $1 AND event_id = $2`, [`${schema}.project-assignments`, late]), (r) => (r.rowCount ?? 0) === 1);
    expect((await list({ buildId: BUILD })).assignments.map((a) => a.eventDate)).toEqual(['2027-06-19', '2027-06-19', '2027-06-19']);
    expect(await planEvents(BUILD)).toEqual(['ProjectAssignmentsPlaced', 'ProjectContributorAssigned', 'ProjectContributorAssigned', 'ProjectAssignmentsPlaced', 'ProjectAssignmentsPlaced']);

    const undated = randomUUID();
    await publish(booked(undated, [coverage('cov-1', 'Lead photographer', 1)], { eventDate: null }));
    await waitUntil('the undated build', () => list({ buildId: undated }), (r) => r.assignments.length === 1);
    expect((await failedCall(assign('cov-1', anna.actorId, undated))).code).toBe(status.FAILED_PRECONDITION);
  });
});
