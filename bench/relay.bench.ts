/**
 * What the event relay costs on top of a bare Kafka producer. Run:
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register bench/relay.bench.ts
 * Env: MIGRATION_DATABASE_URL, KAFKA_BROKERS (defaults: the local infra), BENCH_N events (default 5000),
 * BENCH_BATCH relay batch size (default the relay's, 500). It creates and drops its own schema
 * and topics.
 *
 * Cases (same N events, same payloads and keys, same producer settings, same batch size):
 *   kafkajs sendBatch   baseline: pre-built messages (already encoded), sent batch by batch with
 *                       the relay's idempotent producer and acks=-1
 *   relay               EventRelay over a PostgresEventStore already holding the N events, timed
 *                       from start() until its checkpoint reaches the last event (reading the
 *                       store, encoding, publishing, saving the checkpoint after every batch)
 * Latency columns are per batch (one sendBatch call).
 */
import { randomUUID } from 'node:crypto';
import { type Message, type ProducerBatch, logLevel } from 'kafkajs';
import { type EventToAppend, type GlobalPosition, compareGlobalPositions } from '@projectflo/platform/core';
import { DEFAULT_DATABASE_URL, PostgresEventStore, createPgPool } from '@projectflo/platform/event-store';
import {
  DEFAULT_RELAY_BATCH_SIZE,
  EventRelay,
  type RelayProducer,
  createKafka,
  createRelayProducer,
  encodeEvent,
  ensureTopics,
  withAdmin,
} from '@projectflo/platform/messaging';
import { printRatioTable } from './lib/ratio-table';
import { summarizeLatencies } from './lib/stats';
import { nowMs, runCase, type BenchResult } from './lib/timing';

const N = Number(process.env.BENCH_N ?? 5000);
const BATCH = Number(process.env.BENCH_BATCH ?? DEFAULT_RELAY_BATCH_SIZE);
const LEADS = 50;
const APPEND_CHUNK = 100;
const BASELINE = 'kafkajs sendBatch';

async function main(): Promise<void> {
  const url = process.env.MIGRATION_DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const run = randomUUID().replace(/-/g, '').slice(0, 10);
  const schema = `bench_relay_${run}`;
  const baselineTopic = `bench.baseline-${run}.v1`;
  const relayTopic = `bench.relay-${run}.v1`;
  const kafka = createKafka(`relay-bench-${run}`, { logLevel: logLevel.ERROR });
  const pool = createPgPool(url, { max: 4, application_name: 'relay-bench' });
  const store = new PostgresEventStore({ pool, schema, pollIntervalMs: 20 });

  try {
    await store.ensureSchema();
    await withAdmin(kafka, (admin) => ensureTopics(admin, [baselineTopic, relayTopic]));
    const last = await appendEvents(store);
    const events = await store.readAll({ limit: N + 1 });
    console.log(`relay bench: N=${events.length} events on ${LEADS} aggregates, batch ${BATCH}, 3 partitions, acks=-1, idempotent producer; schema ${schema}`);

    const results: BenchResult[] = [];

    // (a) baseline: the same events, encoded up front, sent in relay-sized batches.
    const messages: Message[] = events.map((event) => encodeEvent(event, 'bench'));
    const producer = createRelayProducer(kafka);
    await producer.connect();
    await producer.send({ topic: baselineTopic, acks: -1, messages: messages.slice(0, 1) }); // warm metadata and the connection
    results.push(
      await runCase({
        name: BASELINE,
        group: 'publish',
        operations: Math.ceil(messages.length / BATCH),
        itemsPerOperation: BATCH,
        operation: async (index) => {
          await producer.sendBatch({ acks: -1, topicMessages: [{ topic: baselineTopic, messages: messages.slice(index * BATCH, (index + 1) * BATCH) }] });
        },
      }),
    );
    await producer.disconnect();

    // (b) the relay over the store, timed until its checkpoint covers the last event.
    const relayProducer = createRelayProducer(kafka);
    await relayProducer.connect();
    await relayProducer.send({ topic: relayTopic, acks: -1, messages: messages.slice(0, 1) });
    const sendLatencies: number[] = [];
    const timedProducer: RelayProducer = {
      connect: () => relayProducer.connect(),
      disconnect: () => relayProducer.disconnect(),
      sendBatch: async (batch: ProducerBatch) => {
        const start = nowMs();
        const result = await relayProducer.sendBatch(batch);
        sendLatencies.push(nowMs() - start);
        return result;
      },
    };
    const relay = new EventRelay({ name: 'bench', service: 'bench', store, producer: () => timedProducer, topics: { lead: relayTopic }, pool, schema, batchSize: BATCH });
    const start = nowMs();
    await relay.start();
    await untilCheckpoint(relay, last);
    const seconds = (nowMs() - start) / 1000;
    await relay.stop();
    results.push({
      name: 'relay',
      group: 'publish',
      concurrency: 1,
      items: events.length,
      seconds,
      itemsPerSecond: events.length / seconds,
      latency: summarizeLatencies(sendLatencies),
    });

    console.log('');
    printRatioTable(results, { baseline: BASELINE, unit: 'events' });
    const ratio = results[1].itemsPerSecond / results[0].itemsPerSecond;
    console.log(`\nrelay throughput is ${(ratio * 100).toFixed(0)}% of the bare producer's (${results[1].itemsPerSecond.toFixed(0)} vs ${results[0].itemsPerSecond.toFixed(0)} events/s).`);
    console.log(`relay published ${relay.metrics().published} messages in ${sendLatencies.length} batches; latency columns are per sendBatch call.`);
  } finally {
    await store.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch((error: unknown) => console.error('could not drop', schema, error));
    await pool.end();
    await withAdmin(kafka, (admin) => admin.deleteTopics({ topics: [baselineTopic, relayTopic] })).catch((error: unknown) => console.error('could not delete topics', error));
  }
}

async function appendEvents(store: PostgresEventStore): Promise<GlobalPosition> {
  const leads = Array.from({ length: LEADS }, () => randomUUID());
  const versions = new Map<string, number>();
  let last: GlobalPosition = { commit: '0', prepare: '0' };
  for (let appended = 0; appended < N; appended += APPEND_CHUNK) {
    const lead = leads[(appended / APPEND_CHUNK) % LEADS];
    const count = Math.min(APPEND_CHUNK, N - appended);
    const version = versions.get(lead) ?? 0;
    const result = await store.appendToStream(`lead-${lead}`, Array.from({ length: count }, () => anEvent(lead)), version === 0 ? 'no_stream' : version);
    versions.set(lead, result.nextExpectedVersion);
    last = result.lastPosition;
  }
  return last;
}

async function untilCheckpoint(relay: EventRelay, last: GlobalPosition): Promise<void> {
  for (;;) {
    const checkpoint = relay.metrics().checkpoint;
    if (checkpoint && compareGlobalPositions(checkpoint, last) >= 0) return;
    if (relay.metrics().consecutiveFailures > 0) console.error('relay is failing:', relay.metrics().lastError);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function anEvent(leadId: string): EventToAppend {
  const requestId = randomUUID();
  return {
    eventId: randomUUID(),
    type: 'LeadStatusChanged',
    data: {
      leadId,
      fromStatusId: randomUUID(),
      toStatusId: randomUUID(),
      reason: 'Client replied to the proposal and asked for a call next week',
      changedAt: '2025-05-01T10:00:00.000Z',
    },
    schemaVersion: 1,
    metadata: {
      tenantId: 'tenant-bench',
      actorId: 'user-bench',
      requestId,
      correlationId: requestId,
      causationId: requestId,
      occurredAt: '2025-05-01T10:00:00.000Z',
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
