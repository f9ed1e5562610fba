import { randomUUID } from 'node:crypto';
import type { Kafka, ProducerBatch } from 'kafkajs';
import type { Pool } from 'pg';
import { type EventToAppend, type GlobalPosition, compareGlobalPositions } from '@projectflo/platform/core';
import { PostgresEventStore } from '@projectflo/platform/event-store';
import { decodeEvent, encodeEvent } from './cloud-events';
import { EventConsumer } from './consumer';
import { deleteKafkaResources, dropSchema, readAllMessages, runId, testKafka, testPool, waitFor } from './messaging.test-support';
import { EventRelay, type RelayProducer, createRelayProducer } from './relay';
import { PgRelayCheckpointStore } from './relay-checkpoint.store';
import { ensureTopics, withAdmin } from './topics';
import { PgUnitOfWork } from './unit-of-work';

jest.setTimeout(120_000);

function toAppend(type: string, data: unknown): EventToAppend {
  return {
    eventId: randomUUID(),
    type,
    data,
    schemaVersion: 1,
    metadata: {
      tenantId: 'tenant-relay',
      actorId: 'actor-relay',
      requestId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: '2025-01-01T00:00:00.000Z',
    },
  };
}

describe('EventRelay against real Kafka and Postgres', () => {
  const id = runId();
  const schema = `msg_relay_${id}`;
  const topics: string[] = [];
  const groups: string[] = [];
  let kafka: Kafka;
  let pool: Pool;
  let store: PostgresEventStore;
  let checkpoints: PgRelayCheckpointStore;

  beforeAll(async () => {
    kafka = testKafka(`relay-int-${id}`);
    pool = testPool();
    store = new PostgresEventStore({ pool, schema, pollIntervalMs: 20 });
    await store.ensureSchema();
    checkpoints = new PgRelayCheckpointStore(pool, schema);
  });

  afterAll(async () => {
    await store?.close();
    await deleteKafkaResources(kafka, topics, groups);
    await dropSchema(pool, schema);
    await pool.end();
  });

  /** Appends `leads` lead streams of `perLead` events, interleaved with unmapped contact streams. */
  async function appendHistory(leads: number, perLead: number): Promise<{ leadEventIds: string[]; last: GlobalPosition }> {
    const leadEventIds: string[] = [];
    let last: GlobalPosition = { commit: '0', prepare: '0' };
    const ids = Array.from({ length: leads }, () => randomUUID());
    for (let round = 0; round < perLead; round++) {
      for (const leadId of ids) {
        const event = toAppend('LeadStatusChanged', { leadId, to: `status-${round}` });
        leadEventIds.push(event.eventId);
        await store.appendToStream(`lead-${leadId}`, [event], round);
      }
      const contact = await store.appendToStream(`contact-${randomUUID()}`, [toAppend('ContactCreated', { round })], 'no_stream');
      last = contact.lastPosition;
    }
    return { leadEventIds, last };
  }

  async function freshTopic(name: string): Promise<string> {
    const topic = `test.${name}-${id}.v1`;
    topics.push(topic);
    await withAdmin(kafka, (admin) => ensureTopics(admin, [topic]));
    return topic;
  }

  function reachedCheckpoint(relay: EventRelay, last: GlobalPosition): boolean {
    const checkpoint = relay.metrics().checkpoint;
    return checkpoint !== undefined && compareGlobalPositions(checkpoint, last) >= 0;
  }

  it('RELIABILITY 3: a crash after publishing and before the checkpoint re-sends on restart; consumers see every event once', async () => {
    const topic = await freshTopic('crash');
    const { leadEventIds, last } = await appendHistory(4, 5); // 20 lead events, 5 unmapped contact events

    let crashes = 0;
    const relayName = `crash-${id}`;
    const crashing = new EventRelay({
      name: relayName,
      service: 'crm',
      store,
      producer: () => createRelayProducer(kafka),
      topics: { lead: topic },
      checkpoints,
      batchSize: 8,
      beforeCheckpoint: () => {
        crashes++;
        throw new Error('simulated crash between publish and checkpoint');
      },
    });
    await crashing.start();
    await waitFor('the relay to crash', () => crashing.metrics().state === 'crashed');
    await crashing.stop();
    expect(crashes).toBe(1);
    expect(await checkpoints.load(relayName)).toBeUndefined();
    const publishedBeforeCrash = crashing.metrics().published;
    expect(publishedBeforeCrash).toBeGreaterThan(0);

    const restarted = new EventRelay({ name: relayName, service: 'crm', store, producer: () => createRelayProducer(kafka), topics: { lead: topic }, checkpoints, batchSize: 8 });
    await restarted.start();
    await waitFor('the restarted relay to checkpoint the last event', () => reachedCheckpoint(restarted, last));
    await restarted.stop();
    expect(await checkpoints.load(relayName)).toEqual(last);
    expect(restarted.metrics().skipped).toBe(5);

    // On the topic: every lead event (no loss), the crashed batch twice (duplicates allowed), no contact events.
    const onTopic = (await readAllMessages(kafka, [topic])).map((m) => decodeEvent(m.message));
    expect(new Set(onTopic.map((e) => e.eventId))).toEqual(new Set(leadEventIds));
    expect(onTopic).toHaveLength(leadEventIds.length + publishedBeforeCrash);
    expect(onTopic.every((e) => e.streamName.startsWith('lead-'))).toBe(true);
    // Per aggregate, the first delivery of each event is in stream order.
    const seen = new Set<string>();
    const lastPosition = new Map<string, number>();
    for (const event of onTopic.filter((e) => !seen.has(e.eventId) && seen.add(e.eventId))) {
      expect(event.streamPosition).toBe((lastPosition.get(event.streamName) ?? 0) + 1);
      lastPosition.set(event.streamName, event.streamPosition);
    }

    // A consumer dedupes the re-sent batch: the read model has each event exactly once.
    const groupId = `test-crash-consumer-${id}`;
    groups.push(groupId);
    topics.push(`${groupId}.dlq`);
    await pool.query(`CREATE TABLE ${schema}.projected (event_id text PRIMARY KEY, lead_id text NOT NULL)`);
    const consumer = new EventConsumer<{ type: 'LeadStatusChanged'; data: { leadId: string } }>({
      kafka,
      groupId,
      topics: [topic],
      unitOfWork: new PgUnitOfWork(pool),
      schema,
    }).on('LeadStatusChanged', async (event, tx) => {
      // No ON CONFLICT: a second run for the same event would fail the primary key and show up.
      await tx.query(`INSERT INTO ${schema}.projected (event_id, lead_id) VALUES ($1, $2)`, [event.eventId, event.data.leadId]);
    });
    await consumer.start();
    await waitFor('every message consumed', () => consumer.metrics().processed + consumer.metrics().duplicates === onTopic.length);
    await consumer.stop();
    expect(consumer.metrics()).toMatchObject({ processed: leadEventIds.length, duplicates: publishedBeforeCrash, transientFailures: 0 });
    const projected = await pool.query<{ event_id: string }>(`SELECT event_id FROM ${schema}.projected`);
    expect(new Set(projected.rows.map((r) => r.event_id))).toEqual(new Set(leadEventIds));
  });

  it('RELIABILITY 4: while the broker refuses batches the checkpoint never advances; once it is back every event arrives', async () => {
    const topic = await freshTopic('outage');
    const relayName = `outage-${id}`;
    const before = await store.readAll({ limit: 1_000_000 });
    const startAfter = before[before.length - 1].globalPosition;
    await checkpoints.ensureSchema();
    await checkpoints.save(relayName, startAfter); // only this test's events are new to this relay
    const { leadEventIds, last } = await appendHistory(3, 4);

    const real = createRelayProducer(kafka);
    let failuresLeft = 4;
    const checkpointsSeenWhileFailing: (GlobalPosition | undefined)[] = [];
    const pendingSeenWhileFailing: number[] = [];
    const relayRef: { current?: EventRelay } = {};
    const flaky: RelayProducer = {
      connect: () => real.connect(),
      disconnect: () => real.disconnect(),
      sendBatch: async (batch: ProducerBatch) => {
        if (failuresLeft > 0) {
          failuresLeft--;
          checkpointsSeenWhileFailing.push(await checkpoints.load(relayName));
          pendingSeenWhileFailing.push(relayRef.current?.metrics().pendingEvents ?? 0);
          throw new Error('simulated: broker unavailable');
        }
        return real.sendBatch(batch);
      },
    };
    const relay = new EventRelay({
      name: relayName,
      service: 'crm',
      store,
      producer: () => flaky,
      topics: { lead: topic },
      checkpoints,
      batchSize: 5,
      retry: { initialMs: 20, maxMs: 100 },
    });
    relayRef.current = relay;
    await relay.start();
    await waitFor('the relay to catch up after the outage', () => reachedCheckpoint(relay, last));
    await relay.stop();

    expect(failuresLeft).toBe(0);
    expect(checkpointsSeenWhileFailing).toEqual([startAfter, startAfter, startAfter, startAfter]);
    expect(pendingSeenWhileFailing).toEqual([5, 5, 5, 5]);
    expect(relay.metrics()).toMatchObject({ consecutiveFailures: 0, pendingEvents: 0, lastError: 'simulated: broker unavailable', state: 'stopped' });
    const onTopic = (await readAllMessages(kafka, [topic])).map((m) => decodeEvent(m.message).eventId);
    expect(new Set(onTopic)).toEqual(new Set(leadEventIds));
  });

  it('splits a backlog larger than the broker accepts in one request and publishes all of it, in order', async () => {
    const topic = await freshTopic('large');
    const relayName = `large-${id}`;
    await checkpoints.ensureSchema();
    await checkpoints.save(relayName, await logEnd());
    const leadId = randomUUID();
    // 12 events of ~200 KB on one aggregate (one partition): ~2.4 MB, over Kafka's 1 MiB limit.
    const events = Array.from({ length: 12 }, (_, n) => toAppend('LeadNoteAdded', { leadId, n, body: 'x'.repeat(200_000) }));
    for (let n = 0; n < events.length; n++) await store.appendToStream(`lead-${leadId}`, [events[n]], n);
    const backlog = (await store.readAll({ after: await checkpoints.load(relayName), limit: 100 })).filter((e) => e.streamName === `lead-${leadId}`);
    expect(backlog).toHaveLength(12);

    // As one request the broker refuses it: this is the batch an unsplit relay would send forever.
    const probe = createRelayProducer(kafka);
    await probe.connect();
    try {
      const messages = backlog.map((e) => encodeEvent(e, 'crm', leadId));
      await expect(probe.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] })).rejects.toThrow(/larger than the max message size/);
    } finally {
      await probe.disconnect();
    }

    const relay = new EventRelay({ name: relayName, service: 'crm', store, producer: () => createRelayProducer(kafka), topics: { lead: topic }, checkpoints });
    await relay.start();
    await waitFor('the large backlog published', () => reachedCheckpoint(relay, backlog[backlog.length - 1].globalPosition), 60_000);
    await relay.stop();

    expect(relay.metrics()).toMatchObject({ consecutiveFailures: 0, published: 12 });
    const onTopic = (await readAllMessages(kafka, [topic])).map((m) => decodeEvent(m.message));
    expect(onTopic.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    expect(onTopic.every((e) => (e.data as { body: string }).body.length === 200_000)).toBe(true);
  });

  it('RELIABILITY 16: its lag figure counts committed events held back by a running transaction, and names that transaction', async () => {
    const topic = await freshTopic('held');
    const relayName = `held-${id}`;
    await checkpoints.ensureSchema();
    await checkpoints.save(relayName, await logEnd());
    const relay = new EventRelay({ name: relayName, service: 'crm', store, producer: () => createRelayProducer(kafka), topics: { lead: topic }, checkpoints, backlogIntervalMs: 50 });
    await relay.start();

    // A session that took a transaction id and sits idle: every reader of the log waits behind it.
    const holder = await pool.connect();
    let appended: string[] = [];
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      const { rows } = await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const leadId = randomUUID();
      const events = [toAppend('LeadCreated', { leadId }), toAppend('LeadStatusChanged', { leadId })];
      appended = events.map((e) => e.eventId);
      await store.appendToStream(`lead-${leadId}`, events, 'no_stream');

      await waitFor('the relay to report the held-back events', () => (relay.metrics().backlog?.heldBack ?? 0) >= 2);
      const metrics = relay.metrics();
      expect(metrics.published).toBe(0);
      expect(metrics.backlog).toMatchObject({ heldBack: 2, events: 2, holder: { pid: rows[0].pid, state: 'idle in transaction' } });
      await waitFor('a lag figure above zero', () => relay.metrics().lagMs > 0);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }

    await waitFor('the held-back events published', () => relay.metrics().published === 2);
    await waitFor('the backlog to be counted empty', () => relay.metrics().backlog?.events === 0);
    await relay.stop();
    expect(relay.metrics().lagMs).toBe(0);
    const onTopic = (await readAllMessages(kafka, [topic])).map((m) => decodeEvent(m.message).eventId);
    expect(onTopic).toEqual(appended);
  });

  /** The position of the last event in the store now: a relay checkpointed here sees only what follows. */
  async function logEnd(): Promise<GlobalPosition> {
    let after: GlobalPosition | undefined;
    for (;;) {
      const page = await store.readAll({ after, limit: 1_000 });
      if (page.length === 0) return after ?? { commit: '0', prepare: '0' };
      after = page[page.length - 1].globalPosition;
    }
  }
});
