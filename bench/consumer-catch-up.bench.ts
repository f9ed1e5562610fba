/**
 * How fast a consumer catches up on a backlog (after a restart, an outage or a burst): the same
 * N events on one topic, consumed by an EventConsumer that handles each event in its own
 * transaction (batchSize 1, the engine before runs) against one that handles runs of consecutive
 * events in one transaction (the default run size). Run:
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register bench/consumer-catch-up.bench.ts
 * Env: MIGRATION_DATABASE_URL, KAFKA_BROKERS (defaults: the local infra), BENCH_N events (default
 * 5000), BENCH_ROUNDS (default 2; the cases alternate).
 *
 * Each case is a fresh consumer group over the same topic (3 partitions, 50 aggregates), timed from
 * start() until every event is processed; the handler claims the inbox row and upserts a
 * read-model row (as a projection does). Throughput is events/s; there is no per-event latency, so
 * the latency columns are n/a. It creates and drops its own schema, topic and groups.
 */
import { randomUUID } from 'node:crypto';
import { logLevel } from 'kafkajs';
import { DEFAULT_DATABASE_URL, createPgPool } from '@projectflo/platform/event-store';
import { DEFAULT_BATCH_SIZE, EventConsumer, PgUnitOfWork, createKafka, encodeEvent, ensureTopics, withAdmin } from '@projectflo/platform/messaging';
import { recordedEvent } from '../libs/platform/messaging/src/messaging.test-support';
import { printRatioTable } from './lib/ratio-table';
import { summarizeLatencies } from './lib/stats';
import { nowMs, type BenchResult } from './lib/timing';
import { runMain } from './lib/run-main';

const N = Number(process.env.BENCH_N ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const AGGREGATES = 50;
const BASELINE = 'one transaction per event';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const url = process.env.MIGRATION_DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const run = randomUUID().replace(/-/g, '').slice(0, 10);
  const schema = `bench_catchup_${run}`;
  const topic = `bench.catch-up-${run}.v1`;
  const kafka = createKafka(`catch-up-bench-${run}`, { logLevel: logLevel.ERROR });
  const pool = createPgPool(url, { max: 6, application_name: 'catch-up-bench' });
  const groups: string[] = [];
  try {
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`CREATE TABLE ${schema}.notes (consumer_group text NOT NULL, stream text NOT NULL, notes integer NOT NULL, PRIMARY KEY (consumer_group, stream))`);
    await withAdmin(kafka, (admin) => ensureTopics(admin, [topic]));
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const positions = new Map<string, number>();
    for (let start = 0; start < N; start += 500) {
      const messages = Array.from({ length: Math.min(500, N - start) }, (_, i) => {
        const stream = `note-${(start + i) % AGGREGATES}`;
        const position = (positions.get(stream) ?? 0) + 1;
        positions.set(stream, position);
        return { ...encodeEvent(recordedEvent(stream, 'NoteAdded', { body: `note ${start + i}` }, position), 'bench'), key: stream };
      });
      await producer.send({ topic, acks: -1, messages });
    }
    await producer.disconnect();
    console.log(`consumer catch-up bench: N=${N} events on ${AGGREGATES} aggregates, 3 partitions; runs of up to ${DEFAULT_BATCH_SIZE}; ${ROUNDS} rounds; schema ${schema}`);

    const timings = new Map<string, number[]>();
    const cases: [string, number][] = [
      [BASELINE, 1],
      [`runs of up to ${DEFAULT_BATCH_SIZE}`, DEFAULT_BATCH_SIZE],
    ];
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, batchSize] of round % 2 === 0 ? cases : [...cases].reverse()) {
        const groupId = `bench-catch-up-${run}-${batchSize}-${round}`;
        groups.push(groupId);
        const consumer = new EventConsumer({ kafka, groupId, topics: [topic], unitOfWork: new PgUnitOfWork(pool), schema, batchSize, createDeadLetterTopic: false }).on('NoteAdded', async (e, tx) => {
          await tx.query(
            `INSERT INTO ${schema}.notes (consumer_group, stream, notes) VALUES ($1, $2, 1)
             ON CONFLICT (consumer_group, stream) DO UPDATE SET notes = notes.notes + 1`,
            [groupId, e.streamName],
          );
        });
        const started = nowMs();
        await consumer.start();
        while (consumer.metrics().processed < N) await sleep(10);
        timings.set(name, [...(timings.get(name) ?? []), (nowMs() - started) / 1000]);
        await consumer.stop();
        const { rows } = await pool.query<{ total: string }>(`SELECT sum(notes) AS total FROM ${schema}.notes WHERE consumer_group = $1`, [groupId]);
        if (Number(rows[0]?.total) !== N) throw new Error(`${name}: ${rows[0]?.total} notes applied, expected ${N}`);
      }
    }
    const results: BenchResult[] = cases.map(([name]) => {
      const seconds = Math.min(...(timings.get(name) ?? [Number.NaN]));
      return { name, group: 'catch-up', concurrency: 1, items: N, seconds, itemsPerSecond: N / seconds, latency: summarizeLatencies([]) };
    });
    printRatioTable(results, { baseline: BASELINE, unit: 'events' });
    console.log(`\nseconds: the best of ${ROUNDS} rounds per case (all: ${cases.map(([name]) => `${name} ${(timings.get(name) ?? []).map((s) => s.toFixed(2)).join('/')}`).join('; ')})`);
  } finally {
    await withAdmin(kafka, async (admin) => {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.deleteGroups(groups).catch(() => undefined);
    });
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  }
}

runMain(main);
