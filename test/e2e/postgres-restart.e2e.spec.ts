import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { crmV1, tasksV1 } from '@projectflo/contracts';
import { toTimestamp } from '@projectflo/platform/grpc';
import { Client, Pool } from 'pg';
import { eventually } from '@projectflo/platform/testing';
import { endRun, ServiceProcess } from './support/service-process';
import { newTenant } from './support/tenant';
import { untilTaskEngineAdmits } from './support/users';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';

// RELIABILITY scenario 9: Postgres restarts under running services. Each reconnects by itself
// (same process, no restart), every write acknowledged before the restart is still there, and
// relays, consumers and (task-engine) expansions carry on with writes made during and after it.

const ROOT = join(__dirname, '..', '..');
const DATABASE_URL = databaseUrlFromEnv();

/** When the Postgres server process started: proves a restart really happened. */
async function serverStartedAt(): Promise<string> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<{ t: string }>('SELECT pg_postmaster_start_time()::text AS t')).rows[0].t;
  } finally {
    await client.end();
  }
}
function restartPostgres(): void {
  execFileSync('bash', [join(ROOT, 'scripts', 'infra.sh'), 'restart', 'postgres'], { stdio: 'inherit' });
}

const run = randomBytes(4).toString('hex');
const pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
let crm: ServiceProcess;
let tasks: ServiceProcess;

beforeAll(async () => {
  [crm, tasks] = await Promise.all([ServiceProcess.create('crm', run), ServiceProcess.create('task-engine', run)]);
  await Promise.all([crm.start(), tasks.start()]);
});

afterAll(async () => {
  await endRun(run, [crm, tasks]);
  await pool.end();
});

it('reconnects after a Postgres restart and loses no acknowledged write', async () => {
  const t = newTenant();
  await crm.call('RegisterOrganization', { name: 'Restart Studio', timezone: 'Europe/Berlin', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' }, t.headers());
  // The task-engine learns the owner from crm's organization events: wait until it admits them.
  await untilTaskEngineAdmits(tasks, () => t.headers());
  const before = await crm.call<crmV1.DefineLeadStatusResponse>('DefineLeadStatus', { name: 'Before restart' }, t.headers());
  const pid = crm.pid;
  const startedBefore = await serverStartedAt();

  restartPostgres();
  expect(await serverStartedAt()).not.toBe(startedBefore);

  // The first calls may fail while connections are replaced; the service itself must recover.
  const after = await eventually(
    () => crm.call<crmV1.DefineLeadStatusResponse>('DefineLeadStatus', { name: 'After restart' }, t.headers(`after-${t.tenantId}`)),
    () => true,
    { timeoutMs: 60_000, intervalMs: 1_000, what: 'a command to succeed after the restart' },
  );
  expect(crm.pid).toBe(pid);

  const statuses = await eventually(
    () => crm.call<crmV1.ListLeadStatusesResponse>('ListLeadStatuses', {}, t.headers()),
    (r) => (r.leadStatuses ?? []).length === 2,
    { timeoutMs: 60_000, what: 'both statuses in the read model' },
  );
  expect(statuses.leadStatuses.map((s) => s.statusId)).toEqual([before.leadStatus!.statusId, after.leadStatus!.statusId]);
  expect(statuses.leadStatuses.map((s) => s.name)).toEqual(['Before restart', 'After restart']);
});

it('task-engine: external events ingested while Postgres restarts expand once each, and nothing acknowledged is lost', async () => {
  const t = newTenant();
  await crm.call('RegisterOrganization', { name: 'Restart Events', timezone: 'Europe/Berlin', ownerName: 'Events Owner', ownerEmail: 'owner@events.example' }, t.headers());
  await untilTaskEngineAdmits(tasks, () => t.headers());
  const templates = ['confirm-booking', 'send-invoice'];
  await tasks.call('DefineEventType', { eventType: 'booking.made', name: 'Booking made' }, t.headers());
  for (const key of templates) {
    await tasks.call('CreateTaskTemplate', {
      template: { key, trigger: { eventType: 'booking.made' }, name: key, dueOffset: { days: 1, anchor: 'DUE_ANCHOR_TRIGGER_TIME' } },
    }, t.headers());
  }
  const acknowledged: string[] = [];
  const refused: string[] = [];
  let writing = true;
  // One write every 50 ms, before, during and after the restart; each is either acknowledged or refused.
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const subject = `booking-${run}-${i}`;
      try {
        await tasks.call('IngestExternalEvent', {
          eventType: 'booking.made', subjectId: subject, payloadJson: '{}', occurredAt: toTimestamp(new Date()), idempotencyKey: subject,
        }, t.headers(), 5_000);
        acknowledged.push(subject);
      } catch {
        refused.push(subject);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const pid = tasks.pid;
  await eventually(async () => acknowledged.length, (n) => n >= 5, { what: 'writes acknowledged before the restart' });
  const startedBefore = await serverStartedAt();
  restartPostgres();
  expect(await serverStartedAt()).not.toBe(startedBefore);
  const afterRestart = acknowledged.length;
  await eventually(async () => acknowledged.length, (n) => n >= afterRestart + 5, { timeoutMs: 60_000, what: 'writes acknowledged after the restart' });
  writing = false;
  await writer;
  expect(tasks.pid).toBe(pid);

  // Every acknowledged event expanded into exactly its tasks; a refused one either fully or not at all.
  const creations = async () =>
    new Map(
      (
        await pool.query<{ subject: string; total: string; distinct: string }>(
          `SELECT data->'source'->>'subjectId' AS subject, count(*) AS total, count(DISTINCT stream_name) AS distinct
             FROM "${tasks.schema}".events WHERE tenant_id = $1 AND type = 'TaskCreated' GROUP BY 1`,
          [t.tenantId],
        )
      ).rows.map((r) => [r.subject, { total: Number(r.total), distinct: Number(r.distinct) }]),
    );
  const done = await eventually(creations, (bySubject) => acknowledged.every((s) => bySubject.get(s)?.distinct === templates.length), {
    timeoutMs: 120_000,
    intervalMs: 1_000,
    what: `${acknowledged.length} acknowledged events expanded`,
  });
  const full = { total: templates.length, distinct: templates.length };
  expect(acknowledged.filter((s) => done.get(s)?.total !== full.total || done.get(s)?.distinct !== full.distinct)).toEqual([]);
  expect(refused.filter((s) => ![0, full.total].includes(done.get(s)?.total ?? 0))).toEqual([]);

  // And the read model shows them all, once.
  const last = acknowledged[acknowledged.length - 1]!;
  const listed = await eventually(
    () => tasks.call<tasksV1.ListTasksResponse>('ListTasks', { subjectId: last, page: { pageSize: 10 } }, t.headers()).then((r) => r.tasks ?? []),
    (list) => list.length >= templates.length,
    { timeoutMs: 60_000, what: 'the last acknowledged event\'s tasks in the read model' },
  );
  expect(listed.map((task) => task.templateKey).sort()).toEqual(templates);
});
