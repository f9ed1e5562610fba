import { randomUUID } from 'node:crypto';
import type { Kafka, Message, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { z } from 'zod';
import { encodeEvent } from './cloud-events';
import { EventConsumer } from './consumer';
import { DLQ_HEADERS } from './dead-letter-headers';
import {
  deleteKafkaResources,
  dropSchema,
  header,
  readAllMessages,
  recordedEvent,
  runId,
  testKafka,
  testPool,
  waitFor,
} from './messaging.test-support';
import { ensureTopics, withAdmin } from './topics';
import { PgUnitOfWork, type Tx } from './unit-of-work';

jest.setTimeout(90_000);

type LeadEvents =
  | { type: 'LeadStatusChanged'; data: { leadId: string; to: string } }
  | { type: 'LeadArchived'; data: { leadId: string } }
  | { type: 'LeadFollowUpScheduled'; data: { leadId: string; at: string } };

const leadStatusChanged = z.object({ leadId: z.string().uuid(), to: z.string().min(1) });
/** Lax on purpose: the year-11476 instant of issue 6 passes it and fails only in Postgres. */
const leadFollowUpScheduled = z.object({ leadId: z.string().uuid(), at: z.string().min(1) });

/** The failure of a database that is down, as node-postgres reports it. */
function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:55432'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
}

/** A read model whose update is NOT idempotent on its own (a counter), so a second run would show. */
async function createReadModel(pool: Pool, schema: string): Promise<void> {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await pool.query(`CREATE TABLE ${schema}.leads (lead_id text PRIMARY KEY, status text NOT NULL, transitions integer NOT NULL)`);
  await pool.query(`CREATE TABLE ${schema}.side_effects (id serial PRIMARY KEY, event_id text NOT NULL)`);
  await pool.query(`CREATE TABLE ${schema}.follow_ups (lead_id text PRIMARY KEY, at timestamptz NOT NULL)`);
}

async function project(tx: Tx, schema: string, eventId: string, leadId: string, status: string): Promise<void> {
  await tx.query(
    `INSERT INTO ${schema}.leads (lead_id, status, transitions) VALUES ($1, $2, 1)
     ON CONFLICT (lead_id) DO UPDATE SET status = EXCLUDED.status, transitions = leads.transitions + 1`,
    [leadId, status],
  );
  await tx.query(`INSERT INTO ${schema}.side_effects (event_id) VALUES ($1)`, [eventId]);
}

async function snapshot(pool: Pool, schema: string): Promise<{ leads: unknown[]; sideEffects: string[] }> {
  const leads = await pool.query(`SELECT lead_id, status, transitions FROM ${schema}.leads ORDER BY lead_id`);
  const effects = await pool.query<{ event_id: string }>(`SELECT event_id FROM ${schema}.side_effects ORDER BY id`);
  return { leads: leads.rows, sideEffects: effects.rows.map((r) => r.event_id) };
}

function statusChanged(leadId: string, to: string, position: number): Message {
  return encodeEvent(recordedEvent(`lead-${leadId}`, 'LeadStatusChanged', { leadId, to }, position), 'crm');
}

function followUpScheduled(leadId: string, at: string, position: number): Message {
  return encodeEvent(recordedEvent(`lead-${leadId}`, 'LeadFollowUpScheduled', { leadId, at }, position), 'crm');
}

describe('EventConsumer against real Kafka and Postgres', () => {
  const id = runId();
  const schema = `msg_consumer_${id}`;
  const topics: string[] = [];
  const groups: string[] = [];
  let kafka: Kafka;
  let pool: Pool;
  let producer: Producer;

  beforeAll(async () => {
    kafka = testKafka(`consumer-int-${id}`);
    pool = testPool();
    await createReadModel(pool, schema);
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await deleteKafkaResources(kafka, topics, groups);
    await dropSchema(pool, schema);
    await pool.end();
  });

  async function freshTopic(name: string): Promise<{ topic: string; groupId: string }> {
    const topic = `test.${name}-${id}.v1`;
    const groupId = `test-${name}-${id}`;
    topics.push(topic, `${groupId}.dlq`);
    groups.push(groupId);
    await withAdmin(kafka, (admin) => ensureTopics(admin, [topic]));
    return { topic, groupId };
  }

  function leadConsumer(topic: string, groupId: string, handle = project): EventConsumer<LeadEvents> {
    return new EventConsumer<LeadEvents>({
      kafka,
      groupId,
      topics: [topic],
      unitOfWork: new PgUnitOfWork(pool),
      schema,
      retry: { initialMs: 50, maxMs: 200 },
      maxAttempts: 3,
    })
      .on('LeadStatusChanged', (event, tx) => handle(tx, schema, event.eventId, event.data.leadId, event.data.to), {
        schema: leadStatusChanged,
        schemaVersions: [1],
      })
      .on(
        'LeadFollowUpScheduled',
        async (event, tx) => {
          await tx.query(`INSERT INTO ${schema}.follow_ups (lead_id, at) VALUES ($1, $2)`, [event.data.leadId, event.data.at]);
        },
        { contract: leadFollowUpScheduled, schemaVersions: [1] },
      );
  }

  it('RELIABILITY 2: a message delivered twice, then the whole topic replayed from offset 0 for the same group, changes nothing', async () => {
    const { topic, groupId } = await freshTopic('dedupe');
    const [a, b] = [randomUUID(), randomUUID()];
    const first = statusChanged(a, 'contacted', 1);
    const messages = [first, statusChanged(a, 'qualified', 2), statusChanged(b, 'contacted', 1), first];
    await producer.send({ topic, acks: -1, messages });

    const consumer = leadConsumer(topic, groupId);
    await consumer.start();
    await waitFor('4 messages handled', () => consumer.metrics().processed + consumer.metrics().duplicates === 4);
    await consumer.stop();
    expect(consumer.metrics()).toMatchObject({ processed: 3, duplicates: 1, deadLettered: 0 });

    const before = await snapshot(pool, schema);
    expect(before.leads).toEqual(
      [
        { lead_id: a, status: 'qualified', transitions: 2 },
        { lead_id: b, status: 'contacted', transitions: 1 },
      ].sort((x, y) => x.lead_id.localeCompare(y.lead_id)),
    );
    expect(before.sideEffects.filter((e) => e === String(first.headers?.ce_id))).toHaveLength(1);

    // Replay: rewind the group's committed offsets to the beginning and consume everything again.
    await withAdmin(kafka, (admin) => admin.resetOffsets({ groupId, topic, earliest: true }));
    const replay = leadConsumer(topic, groupId);
    await replay.start();
    await waitFor('the replay to reach the end', () => replay.metrics().duplicates === 4);
    await replay.stop();
    expect(replay.metrics()).toMatchObject({ processed: 0, duplicates: 4 });
    const afterReplay = await snapshot(pool, schema);
    expect(afterReplay).toEqual(before);
  });

  it('handles a burst in runs, one transaction each, with each event claimed and applied once', async () => {
    const { topic, groupId } = await freshTopic('runs');
    const leads = Array.from({ length: 30 }, () => randomUUID());
    // One key: one partition, fetched together once the consumer starts.
    await producer.send({ topic, acks: -1, messages: leads.map((lead) => ({ ...statusChanged(lead, 'contacted', 1), key: 'burst' })) });
    let transactions = 0;
    const inner = new PgUnitOfWork(pool);
    const counting = { transactional: <R>(fn: (tx: Tx) => Promise<R>) => (transactions++, inner.transactional(fn)) };
    const consumer = new EventConsumer<LeadEvents>({ kafka, groupId, topics: [topic], unitOfWork: counting, schema }).on('LeadStatusChanged', (event, tx) =>
      project(tx, schema, event.eventId, event.data.leadId, event.data.to),
    );
    await consumer.start();
    await waitFor('30 messages handled', () => consumer.metrics().processed === 30);
    await consumer.stop();
    expect(transactions).toBeLessThan(30);
    const rows = await pool.query<{ transitions: number }>(`SELECT transitions FROM ${schema}.leads WHERE lead_id = ANY($1)`, [leads]);
    expect(rows.rows.map((r) => r.transitions)).toEqual(leads.map(() => 1));
    const inbox = await pool.query(`SELECT 1 FROM ${schema}.inbox WHERE consumer_group = $1`, [groupId]);
    expect(inbox.rows).toHaveLength(30);
  });

  it('RELIABILITY 7: poison messages and a deterministic handler error go to <group>.dlq with the reason; the partition keeps going', async () => {
    const { topic, groupId } = await freshTopic('poison');
    const [a, b] = [randomUUID(), randomUUID()];
    const good1 = statusChanged(a, 'contacted', 1);
    const badJson: Message = { ...statusChanged(a, 'lost', 2), value: '{"leadId": ' };
    const noTenant: Message = { ...statusChanged(a, 'lost', 3) };
    noTenant.headers = { ...noTenant.headers };
    delete noTenant.headers.ce_tenantid;
    const badPayload: Message = { ...statusChanged(a, 'lost', 4), value: JSON.stringify({ leadId: 'not-a-uuid', to: 'x' }) };
    const futureSchema: Message = { ...statusChanged(a, 'lost', 5), headers: { ...statusChanged(a, 'lost', 5).headers, ce_schemaversion: '9' } };
    const unknownType = encodeEvent(recordedEvent(`lead-${a}`, 'LeadMerged', { leadId: a }, 6), 'crm');
    // Issue 6: a valid payload that Postgres refuses for good (22009), however often it is retried.
    const unstorable = followUpScheduled(a, '+011476-08-15T05:20:00.000Z', 7);
    const breaksContract = followUpScheduled('not-a-uuid', '2026-01-01T00:00:00Z', 8);
    const good2 = statusChanged(b, 'qualified', 1);
    // One key, so all land on one partition in this order and "keeps going" is observable.
    const ordered = [good1, badJson, noTenant, badPayload, futureSchema, unknownType, unstorable, breaksContract, good2].map((m) => ({ ...m, key: 'same-partition' }));
    await producer.send({ topic, acks: -1, messages: ordered });

    const consumer = leadConsumer(topic, groupId);
    await consumer.start();
    await waitFor('all 9 messages handled', () => {
      const m = consumer.metrics();
      return m.processed + m.deadLettered + m.ignored === 9;
    });
    await consumer.stop();
    // 5 poison messages, one attempt each; the unstorable one, maxAttempts (3) attempts.
    expect(consumer.metrics()).toMatchObject({ processed: 2, deadLettered: 6, ignored: 1, failures: 8, transientFailures: 0, consecutiveFailures: 0 });

    const leads = await pool.query(`SELECT lead_id, status FROM ${schema}.leads WHERE lead_id = ANY($1) ORDER BY status`, [[a, b]]);
    expect(leads.rows).toEqual([
      { lead_id: a, status: 'contacted' },
      { lead_id: b, status: 'qualified' },
    ]);
    expect((await pool.query(`SELECT 1 FROM ${schema}.follow_ups WHERE lead_id = $1`, [a])).rows).toEqual([]);

    const dead = await readAllMessages(kafka, [consumer.deadLetterTopic]);
    const byOffset = new Map(dead.map((d) => [header(d.message, DLQ_HEADERS.originalOffset), d.message]));
    expect([...byOffset.keys()].sort()).toEqual(['1', '2', '3', '4', '6', '7']);
    expect(header(byOffset.get('7')!, DLQ_HEADERS.reason)).toMatch(/^invalid-payload: LeadFollowUpScheduled payload at leadId/);
    expect(header(byOffset.get('1')!, DLQ_HEADERS.reason)).toMatch(/^invalid-json: /);
    expect(header(byOffset.get('2')!, DLQ_HEADERS.reason)).toBe('missing-header: header ce_tenantid is missing');
    expect(header(byOffset.get('3')!, DLQ_HEADERS.reason)).toMatch(/^invalid-payload: LeadStatusChanged payload at leadId/);
    expect(header(byOffset.get('4')!, DLQ_HEADERS.reason)).toMatch(/^unsupported-schema-version: /);
    for (const offset of ['1', '2', '3', '4', '7']) {
      expect(header(byOffset.get(offset)!, DLQ_HEADERS.errorClass)).toBe('PoisonMessageError');
      expect(header(byOffset.get(offset)!, DLQ_HEADERS.attempts)).toBe('1');
    }
    const unstored = byOffset.get('6')!;
    expect(header(unstored, DLQ_HEADERS.reason)).toMatch(/^retries-exhausted: .*time zone displacement out of range/);
    expect(header(unstored, DLQ_HEADERS.errorCode)).toBe('22009');
    expect(header(unstored, DLQ_HEADERS.attempts)).toBe('3');
    for (const message of byOffset.values()) {
      expect(header(message, DLQ_HEADERS.originalTopic)).toBe(topic);
      expect(header(message, DLQ_HEADERS.consumerGroup)).toBe(groupId);
    }
    // The original key, bytes and headers are kept, so the message can be inspected and redriven.
    expect(byOffset.get('1')!.value?.toString()).toBe('{"leadId": ');
    expect(unstored.key?.toString()).toBe('same-partition');
    expect(header(unstored, 'ce_id')).toBe(String(unstorable.headers?.ce_id));
    // Each dead-lettered event with a readable id is noted for consistency tokens (the bad JSON and
    // the message without a tenant name no event).
    const noted = await pool.query<{ kafka_offset: string; event_id: string; reason: string }>(
      `SELECT kafka_offset::text, event_id, reason FROM ${schema}.inbox_dead_letters WHERE consumer_group = $1 ORDER BY kafka_offset`,
      [groupId],
    );
    expect(noted.rows.map((r) => r.kafka_offset)).toEqual(['3', '4', '6', '7']);
    expect(noted.rows[2]).toEqual({ kafka_offset: '6', event_id: String(unstorable.headers?.ce_id), reason: header(unstored, DLQ_HEADERS.reason) });
  });

  it('an outage is waited out on the same message, past the attempt budget, without committing past it or dead-lettering', async () => {
    const { topic, groupId } = await freshTopic('transient');
    const [a, b] = [randomUUID(), randomUUID()];
    await producer.send({
      topic,
      acks: -1,
      messages: [statusChanged(a, 'contacted', 1), statusChanged(b, 'contacted', 1)].map((m) => ({ ...m, key: 'one-partition' })),
    });

    // More outage failures than the budget of 3 attempts: they must not count toward it.
    let failuresLeft = 6;
    const committedWhileFailing: string[] = [];
    const consumer = leadConsumer(topic, groupId, async (tx, s, eventId, leadId, status) => {
      if (leadId === a && failuresLeft > 0) {
        failuresLeft--;
        const offsets = await withAdmin(kafka, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
        committedWhileFailing.push(...offsets.flatMap((t) => t.partitions.map((p) => p.offset)));
        throw connectionRefused();
      }
      await project(tx, s, eventId, leadId, status);
    });
    await consumer.start();
    await waitFor('both messages processed', () => consumer.metrics().processed === 2);
    await consumer.stop();

    expect(failuresLeft).toBe(0);
    expect(consumer.metrics()).toMatchObject({ processed: 2, transientFailures: 6, failures: 0, consecutiveFailures: 0, deadLettered: 0 });
    // Nothing was committed while the first message kept failing (-1 = no committed offset).
    expect(new Set(committedWhileFailing)).toEqual(new Set(['-1']));
    const snap = await pool.query(`SELECT lead_id FROM ${schema}.leads WHERE lead_id = ANY($1)`, [[a, b]]);
    expect(snap.rows).toHaveLength(2);
    const offsets = await withAdmin(kafka, (admin) => admin.fetchTopicOffsets(consumer.deadLetterTopic));
    expect(offsets.map((p) => p.high)).toEqual(['0']);
  });

  it('reports the attempts in hand while a message keeps failing, and counts outages apart from failures', async () => {
    const { topic, groupId } = await freshTopic('metrics');
    await producer.send({ topic, acks: -1, messages: [statusChanged(randomUUID(), 'contacted', 1)] });
    let calls = 0;
    let seenWhileFailing = 0;
    const consumer = leadConsumer(topic, groupId, async () => {
      calls++;
      seenWhileFailing = Math.max(seenWhileFailing, consumer.metrics().consecutiveFailures);
      // outage, error, outage, error, error: the third counted error exhausts the budget of 3.
      throw calls % 2 === 1 && calls < 4 ? connectionRefused() : new Error(`bug ${calls}`);
    });
    await consumer.start();
    await waitFor('the message dead-lettered', () => consumer.metrics().deadLettered === 1);
    await consumer.stop();
    expect(calls).toBe(5);
    expect(seenWhileFailing).toBe(4);
    expect(consumer.metrics()).toMatchObject({ transientFailures: 2, failures: 3, consecutiveFailures: 0, deadLettered: 1, lastError: 'bug 5' });
  });
});
