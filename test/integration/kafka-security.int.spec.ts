import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, deadLetterTopic, ensureTopics, listDeadLetters, MessageConsumer, TopicNamespace, withAdmin } from '@projectflo/platform/messaging';
import { removeAcls } from '@projectflo/platform/service';
import { devKafkaCredentials, eventually } from '@projectflo/platform/testing';
import { externalEventsInboundTopic } from '@projectflo/task-engine/domain';
import type { AclEntry, Kafka } from 'kafkajs';
import { parseInboundMessage } from '../../apps/task-engine/src/external-events/inbound-external-events.consumer';
import { TASK_ENGINE_SERVICE_OPTIONS } from '../../apps/task-engine/src/task-engine.service-options';
import { applyPlatformAcls } from '../../scripts/kafka-acls';
import { alterScramUser, newPassword, rotatePassword } from '../../scripts/kafka-users';
import { type InboundCredentials, provisionInboundTenant, revokeInboundTenant } from '../../scripts/kafka-inbound-tenant';

// Against the real broker of scripts/infra.sh (SASL/SCRAM): each
// service's user writes only its own topics and reads only what it declares it consumes, in its
// own groups; a tenant's inbound user writes only that tenant's inbound topic; a wrong password is
// refused. The test runs as the operator (KAFKA_SASL_USERNAME=admin, scripts/env.sh) and gives the
// services' users the ACLs of a run of their own (topic prefix, schema suffix).

const run = randomBytes(4).toString('hex');
const prefix = `kafka-security-${run}.`;
const schemaSuffix = `_ks_${run}`;
const namespace = new TopicNamespace(prefix);
const admin = createKafka(`kafka-security-${run}`);
const crmCredentials = devKafkaCredentials('crm');
const taskEngineCredentials = devKafkaCredentials('task-engine');
const tenantA = `tenant-a-${run}`;
const tenantB = `tenant-b-${run}`;
const tenantC = `tenant-c-${run}`;
jest.setTimeout(120_000);

const CRM_LEAD = 'crm.lead.v1';
const TASKS_TASK = 'tasks.task.v1';

let acls: AclEntry[] = [];
let inboundA: InboundCredentials;
let inboundB: InboundCredentials;

/** A client of `username` on the run's topics (logical names). */
function clientAs(username: string, password: string): Kafka {
  return namespace.wrap(createKafka(`kafka-security-${run}-${username}`, { retry: { retries: 0 } }, { KAFKA_BROKERS: process.env['KAFKA_BROKERS'], KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password }));
}

function serviceClient(credentials: Record<string, string>): Kafka {
  return clientAs(credentials['KAFKA_SASL_USERNAME']!, credentials['KAFKA_SASL_PASSWORD']!);
}

async function send(kafka: Kafka, topic: string, value = JSON.stringify({ run })): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key: run, value }] });
  } finally {
    await producer.disconnect();
  }
}

/** Reads the first message of `topic` in `groupId`, or fails with the broker's refusal. */
async function readFirst(kafka: Kafka, groupId: string, topic: string): Promise<string> {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, retry: { retries: 0 } });
  let failure: unknown;
  consumer.on(consumer.events.CRASH, (event) => {
    failure = event.payload.error;
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const first = new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(message.value?.toString('utf8') ?? '') });
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await Promise.race([first, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100))]);
      if (value !== undefined) return value;
      if (failure) throw failure;
      if (Date.now() > deadline) throw new Error(`nothing read from ${topic} in 30 s`);
    }
  } finally {
    await consumer.disconnect();
  }
}

/**
 * readFirst for a read that must succeed. On a broker whose `__consumer_offsets` is still being
 * created (the first group of a fresh broker) FindCoordinator answers "not available" for a few
 * seconds, which kafkajs reports as it reports a refused group: "Failed to find group coordinator".
 * Here that is retried until the deadline; a refusal the test expects uses readFirst itself.
 */
async function readFirstOnceReady(kafka: Kafka, groupId: string, topic: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await readFirst(kafka, groupId, topic);
    } catch (error) {
      if (!/Failed to find group coordinator/.test(String(error)) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** The broker's error codes in an error and its causes (kafkajs wraps what the broker answered). */
function brokerErrors(error: unknown): string[] {
  const types: string[] = [];
  for (let e = error; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string') types.push(type);
  }
  return types;
}

async function refusal(attempt: Promise<unknown>): Promise<string[]> {
  try {
    await attempt;
  } catch (error) {
    return brokerErrors(error);
  }
  throw new Error('expected the broker to refuse');
}

beforeAll(async () => {
  if (!crmCredentials['KAFKA_SASL_USERNAME'] || !taskEngineCredentials['KAFKA_SASL_USERNAME'] || !process.env['KAFKA_SASL_USERNAME']) {
    throw new Error('this test needs the SASL broker of scripts/infra.sh and the operator credentials of scripts/env.sh');
  }
  acls = await applyPlatformAcls(admin, { topicPrefix: prefix, schemaSuffix }, ['crm', 'task-engine']);
  await withAdmin(namespace.wrap(admin), (a) => ensureTopics(a, [CRM_LEAD, TASKS_TASK]));
  [inboundA, inboundB] = [await provisionInboundTenant(tenantA, prefix), await provisionInboundTenant(tenantB, prefix)];
});

afterAll(async () => {
  // Revoking a tenant that a failed test never provisioned (or already revoked) fails: nothing to clean.
  for (const tenant of [tenantA, tenantB, tenantC]) await revokeInboundTenant(tenant, prefix).catch(() => undefined);
  await withAdmin(admin, async (a) => {
    await removeAcls(a, acls);
    const topics = (await a.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await a.deleteTopics({ topics });
    const groups = (await a.listGroups()).groups.map((g) => g.groupId).filter((g) => g.includes(`${schemaSuffix}.`));
    if (groups.length > 0) await a.deleteGroups(groups).catch(() => undefined);
  });
});

describe('service users', () => {
  it("crm writes its own topic and is refused another service's (TOPIC_AUTHORIZATION_FAILED)", async () => {
    const crm = serviceClient(crmCredentials);
    await expect(send(crm, CRM_LEAD)).resolves.toBeUndefined();
    expect(await refusal(send(crm, TASKS_TASK))).toContain('TOPIC_AUTHORIZATION_FAILED');
  });

  it('task-engine reads what it consumes in its own group, and nothing it does not consume', async () => {
    const taskEngine = serviceClient(taskEngineCredentials);
    await expect(readFirstOnceReady(taskEngine, `task_engine${schemaSuffix}.lead-automation`, CRM_LEAD)).resolves.toBe(JSON.stringify({ run }));
    // crm.contact.v1 is crm's, and no task-engine consumer declares it.
    await withAdmin(namespace.wrap(admin), (a) => ensureTopics(a, ['crm.contact.v1']));
    await send(namespace.wrap(admin), 'crm.contact.v1');
    expect(await refusal(readFirst(taskEngine, `task_engine${schemaSuffix}.lead-automation`, 'crm.contact.v1'))).toContain('TOPIC_AUTHORIZATION_FAILED');
  });

  it("is refused a group that is not one of its consumers', even on a topic it may read", async () => {
    const crm = serviceClient(crmCredentials);
    // The broker answers FindCoordinator with GROUP_AUTHORIZATION_FAILED, which kafkajs reports as
    // no coordinator found; task-engine joins the same group on the same topic (test above).
    await expect(readFirst(crm, `task_engine${schemaSuffix}.lead-automation`, CRM_LEAD)).rejects.toThrow(/Failed to find group coordinator/);
    await expect(readFirstOnceReady(crm, `crm${schemaSuffix}.read-model`, CRM_LEAD)).resolves.toBe(JSON.stringify({ run }));
  });

  it('a wrong password is refused', async () => {
    const impostor = clientAs('crm', 'not-the-password');
    await expect(send(impostor, CRM_LEAD)).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
  });

  it('a rotated password replaces the old one (scripts/kafka-users.ts rotate)', async () => {
    const user = `rotation-${run}`;
    const first = newPassword();
    await alterScramUser(user, ['--add-config', `SCRAM-SHA-512=[iterations=8192,password=${first}]`]);
    const dir = mkdtempSync(join(tmpdir(), 'kafka-rotation-'));
    try {
      const connects = (password: string) => withAdmin(clientAs(user, password), async () => 'connected');
      await expect(connects(first)).resolves.toBe('connected');
      await rotatePassword(user, join(dir, 'password'));
      const second = readFileSync(join(dir, 'password'), 'utf8');
      expect(statSync(join(dir, 'password')).mode & 0o777).toBe(0o600);
      await expect(connects(first)).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
      await expect(connects(second)).resolves.toBe('connected');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await alterScramUser(user, ['--delete-config', 'SCRAM-SHA-512']);
    }
  });
});

/** A tenant's inbound producer: physical topic names, its own credentials. */
function inboundClient({ username, password }: InboundCredentials): Kafka {
  return createKafka(`kafka-security-${run}-${username}`, { retry: { retries: 0 } }, { KAFKA_BROKERS: process.env['KAFKA_BROKERS'], KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password });
}

function inboundMessage(tenantId: string, key: string): string {
  return JSON.stringify({ schemaVersion: 1, tenantId, idempotencyKey: key, eventTypeKey: 'wedding.booked', subjectId: key, occurredAt: '2026-11-21T09:00:00Z', payload: {} });
}

describe('inbound producers', () => {
  it("tenant A's user writes tenant A's inbound topic and is refused tenant B's", async () => {
    const a = inboundClient(inboundA);
    expect(inboundA.topic).toBe(`${prefix}${externalEventsInboundTopic(tenantA)}`);
    await expect(send(a, inboundA.topic)).resolves.toBeUndefined();
    expect(await refusal(send(a, inboundB.topic))).toContain('TOPIC_AUTHORIZATION_FAILED');
    expect(await refusal(send(a, `${prefix}${CRM_LEAD}`))).toContain('TOPIC_AUTHORIZATION_FAILED');
  });

  it("the task-engine's inbound consumer takes the tenant from the topic, dead-letters a body naming another tenant, and picks up a tenant provisioned while it runs", async () => {
    const taskEngine = namespace.wrap(createKafka(`kafka-security-${run}-task-engine`, {}, { KAFKA_BROKERS: process.env['KAFKA_BROKERS'], ...taskEngineCredentials }));
    const groupId = `task_engine${schemaSuffix}.inbound-external-events`;
    const seen: string[] = [];
    const consumer = new MessageConsumer(
      { kafka: taskEngine, groupId, topics: TASK_ENGINE_SERVICE_OPTIONS.consumes!['inbound-external-events']!, topicRefreshMs: 500, maxAttempts: 1 },
      async (message, context) => {
        const { tenantId, idempotencyKey } = parseInboundMessage(context.topic, message.value);
        seen.push(`${tenantId} ${idempotencyKey}`);
        return 'processed';
      },
    );
    await consumer.start();
    try {
      await send(inboundClient(inboundA), inboundA.topic, inboundMessage(tenantA, 'a-1'));
      await send(inboundClient(inboundA), inboundA.topic, inboundMessage(tenantB, 'b-on-a'));
      const inboundC = await provisionInboundTenant(tenantC, prefix);
      await send(inboundClient(inboundC), inboundC.topic, inboundMessage(tenantC, 'c-1'));

      await eventually(async () => seen, (s) => s.length >= 2, { what: 'the messages of tenants A and C' });
      expect(seen.sort()).toEqual([`${tenantA} a-1`, `${tenantC} c-1`]);
      // (The topic also holds the non-message of the test above: dead-lettered as invalid-payload.)
      const mismatch = `tenant-mismatch: a message on tenant ${tenantA}'s inbound topic names tenant ${tenantB}`;
      const deadLetters = await eventually(
        () => listDeadLetters(namespace.wrap(admin), deadLetterTopic(groupId)),
        (d) => d.some((letter) => letter.reason === mismatch),
        { what: 'the dead letter naming tenant B' },
      );
      expect(deadLetters.find((d) => d.reason === mismatch)?.originalTopic).toBe(externalEventsInboundTopic(tenantA));
    } finally {
      await consumer.stop();
    }
  });

  it("refuses a tenant's inbound user once its credentials are revoked", async () => {
    await expect(send(inboundClient(inboundB), inboundB.topic, inboundMessage(tenantB, 'b-1'))).resolves.toBeUndefined();
    await revokeInboundTenant(tenantB, prefix);
    await expect(send(inboundClient(inboundB), inboundB.topic, inboundMessage(tenantB, 'b-2'))).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
  });
});
