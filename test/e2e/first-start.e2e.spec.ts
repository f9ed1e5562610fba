import { randomBytes } from 'node:crypto';
import type { crmV1 } from '@projectflo/contracts';
import { crmTopics } from '@projectflo/crm/domain';
import { createKafka } from '@projectflo/platform/messaging';
import { Pool } from 'pg';
import { ServiceProcess, type ServiceName } from './support/service-process';
import { newTenant } from './support/tenant';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';

// RELIABILITY scenario 14: all five services start at the same moment on a broker that has none
// of their topics and a database without their schemas, the way a newcomer's first
// `platform.sh up` does. Every one comes up SERVING the first time. The run has topics of its own
// (KAFKA_TOPIC_PREFIX), schemas of its own (DB_SCHEMA) and task queues of its own, so it shares
// nothing with the running platform or other tests; crm and the task-engine both create
// crm.lead.v1, so their topic creation really races.

const SERVICES: readonly ServiceName[] = ['crm', 'task-engine', 'build-ledger', 'scheduling', 'notifications'];
const run = randomBytes(4).toString('hex');
const prefix = `first-start-${run}.`;
const kafka = createKafka(`first-start-${run}`);
const pool = new Pool({ connectionString: databaseUrlFromEnv(), max: 2 });
let services: ServiceProcess[] = [];

async function physicalTopics(): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((t) => t.startsWith(prefix)).sort();
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  services = await Promise.all(SERVICES.map((s) => ServiceProcess.create(s, run, { KAFKA_TOPIC_PREFIX: prefix })));
});

afterAll(async () => {
  for (const s of services) s.close();
  await Promise.all(services.map((s) => s.stop()));
  for (const s of services) await pool.query(`DROP SCHEMA IF EXISTS "${s.schema}" CASCADE`);
  await pool.end();
  const admin = kafka.admin();
  await admin.connect();
  try {
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => services.some((s) => g.startsWith(`${s.schema}.`)));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
});

it('brings all five services up SERVING at once on a broker without their topics and a database without their schemas', async () => {
  expect(await physicalTopics()).toEqual([]);
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM pg_namespace WHERE nspname = ANY($1)', [services.map((s) => s.schema)]);
  expect(Number(rows[0].n)).toBe(0);

  const began = Date.now();
  // ServiceProcess.start fails at once, with the process's last output, if it dies while starting.
  await Promise.all(services.map((s) => s.start()));
  const seconds = (Date.now() - began) / 1000;
  console.log(`first start: all ${services.length} services SERVING ${seconds.toFixed(1)} s after they were started together`);

  expect(services.map((s) => [s.service, s.running])).toEqual(SERVICES.map((s) => [s, true]));
  const topics = await physicalTopics();
  for (const topic of [...Object.values(crmTopics), 'tasks.task.v1', 'ledger.build.v1', 'scheduling.task-schedule.v1', 'notifications.notification.v1']) {
    expect(topics).toContain(`${prefix}${topic}`);
  }

  // The namespace carries events end to end: crm's relay publishes to its prefixed topic and
  // crm's read-model consumer, reading that topic, makes the new status visible.
  const crm = services[0];
  const tenant = newTenant();
  await crm.call('RegisterOrganization', { name: 'First Start Studio', timezone: 'UTC', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' }, tenant.headers());
  const { token } = await crm.command('DefineLeadStatus', { name: 'Enquiry' }, tenant.headers());
  // The query waits (bounded) until the read model has the write its token names.
  const statuses = await crm.call<crmV1.ListLeadStatusesResponse>('ListLeadStatuses', { includeRetired: false }, tenant.readAfter(token));
  expect((statuses.leadStatuses ?? []).map((s) => s.name)).toEqual(['Enquiry']);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(`${prefix}${crmTopics['lead-pipeline']}`);
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBeGreaterThan(0);
  } finally {
    await admin.disconnect();
  }
  expect(services.every((s) => s.running)).toBe(true);
});
