import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { crmV1 } from '@projectflo/contracts';
import { crmTopics } from '@projectflo/crm/domain';
import { eventually } from '@projectflo/platform/testing';
import { createKafka } from '@projectflo/platform/messaging';
import { removeAcls } from '@projectflo/platform/service';
import { Pool } from 'pg';
import { KafkaTap } from './support/kafka-tap';
import { ServiceProcess } from './support/service-process';
import { newTenant } from './support/tenant';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';

// RELIABILITY scenario 4: the Kafka broker stops while commands flow to crm, and comes back.
// Commands never needed the broker (they append to the event store), so every one is
// acknowledged throughout; once the broker is back, every acknowledged event reaches its topic
// with the event id the store recorded. The outage is kept to a few seconds: other tests share
// the broker. crm runs on topics of its own (KAFKA_TOPIC_PREFIX) and a schema of its own.

const ROOT = join(__dirname, '..', '..');
const run = randomBytes(4).toString('hex');
const prefix = `kafka-restart-${run}.`;
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const pool = new Pool({ connectionString: databaseUrlFromEnv(), max: 2 });
/** True when something accepts TCP connections at the first broker's address. */
function brokerListening(): Promise<boolean> {
  const [host, port] = brokers[0].split(':');
  return new Promise((resolve) => {
    const socket = createConnection({ host, port: Number(port) });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
const infra = (command: 'stop' | 'start'): Promise<unknown> => promisify(execFile)('bash', [join(ROOT, 'scripts', 'infra.sh'), command, 'kafka']);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
jest.setTimeout(300_000);

let crm: ServiceProcess;
let tap: KafkaTap | undefined;

beforeAll(async () => {
  crm = await ServiceProcess.create('crm', run, { KAFKA_TOPIC_PREFIX: prefix });
  await crm.start();
});

afterAll(async () => {
  await tap?.stop();
  crm?.close();
  await crm?.stop();
  await pool.query(`DROP SCHEMA IF EXISTS "${crm.schema}" CASCADE`);
  await pool.end();
  const admin = createKafka(`kafka-restart-${run}`).admin();
  await admin.connect();
  try {
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`${crm.schema}.`));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    await removeAcls(admin, crm.kafkaAcls);
  } finally {
    await admin.disconnect();
  }
});

it('RELIABILITY 4: every event acknowledged before, during and after a broker outage reaches its topic with its event id', async () => {
  const t = newTenant();
  await crm.call('RegisterOrganization', { name: 'Outage Studio', timezone: 'Europe/Berlin', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' }, t.headers());

  const acknowledged: string[] = [];
  const failures: unknown[] = [];
  let flowing = true;
  const flow = (async () => {
    for (let n = 0; flowing && n < 5_000; n++) {
      try {
        const reply = await crm.call<crmV1.CreateContactResponse>(
          'CreateContact',
          { type: 'CONTACT_TYPE_CLIENT_LEAD', firstName: `Guest ${n}`, email: `guest-${n}.${run}@e2e.example` },
          t.headers(),
        );
        acknowledged.push(reply.contact!.contactId);
      } catch (error) {
        failures.push(error);
      }
      await sleep(25);
    }
  })();
  const waitForMore = (than: number, what: string) =>
    eventually(async () => acknowledged.length, (n) => n >= than + 5, { timeoutMs: 30_000, intervalMs: 50, what });

  await waitForMore(0, 'commands flowing before the outage');
  await infra('stop');
  // The outage is real: nothing listens where the service's Kafka clients connect.
  expect(await brokerListening()).toBe(false);
  const atStop = acknowledged.length;
  await waitForMore(atStop, 'commands acknowledged while the broker is down');
  const duringOutage = acknowledged.length - atStop;
  await infra('start');
  await waitForMore(acknowledged.length, 'commands acknowledged after the broker is back');
  flowing = false;
  await flow;

  expect(failures).toEqual([]);
  expect(duringOutage).toBeGreaterThanOrEqual(5);

  // What the store recorded for these commands, read straight from the service's schema.
  const { rows } = await pool.query<{ event_id: string; stream_name: string }>(
    `SELECT event_id::text, stream_name FROM "${crm.schema}".events WHERE tenant_id = $1 AND type = 'ContactCreated' ORDER BY transaction_id, global_position`,
    [t.tenantId],
  );
  expect(rows.map((r) => r.stream_name).sort()).toEqual(acknowledged.map((id) => `contact-${id}`).sort());

  tap = new KafkaTap(crm.topics, [crmTopics.contact]);
  await tap.start();
  const published = await eventually(
    async () => new Set(tap!.forTenant(t.tenantId).map((m) => m.headers['ce_id'])),
    (ids) => rows.every((r) => ids.has(r.event_id)),
    { timeoutMs: 120_000, intervalMs: 500, what: `all ${rows.length} ContactCreated events on ${crmTopics.contact}` },
  );
  expect(rows.filter((r) => !published.has(r.event_id))).toEqual([]);
  expect(published.size).toBe(rows.length);
  expect(crm.running).toBe(true);
});
