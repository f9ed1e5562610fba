/**
 * What the PostgreSQL event store costs per append, against the cheapest way to put the same
 * rows in Postgres. Run:
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register bench/event-store-append.bench.ts
 * Env: MIGRATION_DATABASE_URL (default the local infra), BENCH_N events per case (default 2000),
 * BENCH_CONCURRENCY (default 8). It creates and drops its own schema.
 *
 * Cases, each run sequentially and with BENCH_CONCURRENCY workers on distinct streams:
 *   raw insert x1     baseline: one INSERT per event into a plain table with the same columns
 *                     (jsonb payloads, bigserial key) but no stream constraints or indexes
 *   store append x1   PostgresEventStore.appendToStream, one event per call
 *   store append x10  PostgresEventStore.appendToStream, batches of ten events
 */
import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '@projectflo/platform/core';
import { DEFAULT_DATABASE_URL, PostgresEventStore, createPgPool } from '@projectflo/platform/event-store';
import { printRatioTable } from './lib/ratio-table';
import { runCase, type BenchResult } from './lib/timing';

const N = Number(process.env.BENCH_N ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const BATCH = 10;
const WARMUP = 100;
const BASELINE = 'raw insert x1';

async function main(): Promise<void> {
  const url = process.env.MIGRATION_DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const schema = `bench_es_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const pool = createPgPool(url, { max: CONCURRENCY + 2, application_name: 'event-store-append-bench' });
  const store = new PostgresEventStore({ pool, schema });
  try {
    await store.ensureSchema();
    await pool.query(`
      CREATE TABLE "${schema}".plain_events (
        global_position bigserial PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_name text NOT NULL, stream_position int NOT NULL, event_id uuid NOT NULL,
        type text NOT NULL, schema_version int NOT NULL, tenant_id text NOT NULL,
        data jsonb NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await pool.query<{ version: string; sync: string; fsync: string }>(
      `SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sync, current_setting('fsync') AS fsync`,
    );
    const settings = rows[0];
    console.log(
      `event store append bench: N=${N} events per case, concurrency ${CONCURRENCY}, ` +
        `Postgres ${settings.version} (synchronous_commit=${settings.sync}, fsync=${settings.fsync}), schema ${schema}`,
    );

    const results: BenchResult[] = [];
    for (const concurrency of [1, CONCURRENCY]) {
      const group = concurrency === 1 ? 'sequential' : `concurrent x${concurrency}`;
      results.push(await runCase(rawInsertCase(pool, schema, group, concurrency)));
      results.push(await runCase(storeAppendCase(store, group, concurrency, 1)));
      results.push(await runCase(storeAppendCase(store, group, concurrency, BATCH)));
    }
    console.log('');
    printRatioTable(results, { baseline: BASELINE, unit: 'events' });
    console.log('\nlatency is per call (a x10 call carries ten events); x columns compare with the group baseline.');
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch((error: unknown) => console.error('could not drop', schema, error));
    await store.close();
    await pool.end();
  }
}

function rawInsertCase(pool: ReturnType<typeof createPgPool>, schema: string, group: string, concurrency: number) {
  const positions = new Map<number, number>();
  const runStream = randomUUID();
  return {
    name: BASELINE,
    group,
    concurrency,
    operations: N,
    warmupOperations: WARMUP,
    operation: async (_index: number, worker: number) => {
      const position = (positions.get(worker) ?? 0) + 1;
      positions.set(worker, position);
      const event = anEvent();
      await pool.query(
        `INSERT INTO "${schema}".plain_events (stream_name, stream_position, event_id, type, schema_version, tenant_id, data, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          `raw-${runStream}-${worker}`,
          position,
          event.eventId,
          event.type,
          event.schemaVersion,
          event.metadata.tenantId,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
        ],
      );
    },
  };
}

/** Each worker owns a stream and appends at its exact expected version, as a command handler does. */
function storeAppendCase(store: PostgresEventStore, group: string, concurrency: number, batch: number) {
  const versions = new Map<number, number>();
  const runStream = randomUUID();
  return {
    name: `store append x${batch}`,
    group,
    concurrency,
    operations: Math.ceil(N / batch),
    itemsPerOperation: batch,
    warmupOperations: Math.ceil(WARMUP / batch),
    operation: async (_index: number, worker: number) => {
      const version = versions.get(worker) ?? 0;
      const events = Array.from({ length: batch }, () => anEvent());
      const result = await store.appendToStream(`bench-${runStream}-${worker}`, events, version === 0 ? 'no_stream' : version);
      versions.set(worker, result.nextExpectedVersion);
    },
  };
}

/** A payload of the size a real event has: a handful of fields and full metadata. */
function anEvent(): EventToAppend {
  const requestId = randomUUID();
  return {
    eventId: randomUUID(),
    type: 'LeadStatusChanged',
    data: {
      leadId: randomUUID(),
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
