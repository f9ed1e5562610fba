import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { crmV1 } from '@projectflo/contracts';
import { Client } from 'pg';
import { eventually } from '@projectflo/platform/testing';
import { ServiceProcess } from './support/service-process';
import { newTenant } from './support/tenant';

// RELIABILITY scenario 9: Postgres restarts under a running service. The service reconnects by
// itself (same process, no restart), every write acknowledged before the restart is still there,
// and its relay and read-model consumer carry on with writes made after it.

const ROOT = join(__dirname, '..', '..');
const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://projectflo:projectflo@127.0.0.1:55432/projectflo';

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
const run = randomBytes(4).toString('hex');
let crm: ServiceProcess;

beforeAll(async () => {
  crm = await ServiceProcess.create('crm', run);
  await crm.start();
});

afterAll(async () => {
  crm?.close();
  await crm?.stop();
});

it('reconnects after a Postgres restart and loses no acknowledged write', async () => {
  const t = newTenant();
  await crm.call('RegisterOrganization', { name: 'Restart Studio', timezone: 'Europe/Berlin' }, t.headers());
  const before = await crm.call<crmV1.DefineLeadStatusResponse>('DefineLeadStatus', { name: 'Before restart' }, t.headers());
  const pid = crm.pid;
  const startedBefore = await serverStartedAt();

  execFileSync('bash', [join(ROOT, 'scripts', 'infra.sh'), 'restart', 'postgres'], { stdio: 'inherit' });
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
