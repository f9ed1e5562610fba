import { randomUUID } from 'node:crypto';
import { VersionConflictError, compareGlobalPositions, type EventToAppend, type RecordedEvent } from '@projectflo/platform/core';
import type { Pool } from 'pg';
import { eventStoreContract } from './event-store.contract';
import { CrossTenantReader, DEFAULT_DATABASE_URL, DEFAULT_POSTGRES_TIMEOUTS, createPgPool } from './pg-pool';
import { PostgresEventStore } from './postgres-event-store';
import { EVENT_STORE_SCHEMA_VERSION } from './postgres-event-store.schema';

jest.setTimeout(60_000);

const runId = randomUUID().replace(/-/g, '').slice(0, 12);
const schema = `es_test_${runId}`;
const applicationName = `event-store-int-${runId}`;
let pool: Pool;

beforeAll(async () => {
  pool = createPgPool(process.env.MIGRATION_DATABASE_URL ?? DEFAULT_DATABASE_URL, { application_name: applicationName, onIdleClientError: () => undefined });
  await new PostgresEventStore({ pool, schema }).ensureSchema();
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

eventStoreContract('PostgresEventStore', {
  create: async () => new PostgresEventStore({ pool, schema, pollIntervalMs: 20 }),
  uniqueEventIds: true,
  multiStreamAppends: true,
});

describe('PostgresEventStore', () => {
  let store: PostgresEventStore;

  beforeAll(() => {
    store = new PostgresEventStore({ pool, schema, pollIntervalMs: 20 });
  });

  afterAll(async () => {
    await store.close();
  });

  it('applies its DDL idempotently and records the schema version', async () => {
    await store.ensureSchema();
    await Promise.all([store.ensureSchema(), store.ensureSchema()]);
    const { rows } = await pool.query<{ version: number }>(`SELECT version FROM "${schema}".event_store_schema_version ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual([EVENT_STORE_SCHEMA_VERSION]);
  });

  it('stores the tenant in its own column and the position as (transaction id, sequence)', async () => {
    const stream = `tenant-${randomUUID()}`;
    const result = await store.appendToStream(stream, [anEvent('tenant-42')], 'no_stream');
    const { rows } = await pool.query<{ tenant_id: string; commit: string; prepare: string }>(
      `SELECT tenant_id, transaction_id::text AS commit, global_position::text AS prepare FROM "${schema}".events WHERE stream_name = $1`,
      [stream],
    );
    expect(rows).toEqual([{ tenant_id: 'tenant-42', commit: result.lastPosition.commit, prepare: result.lastPosition.prepare }]);
  });

  it('appends inside a caller transaction and rolls back with it', async () => {
    const stream = `tx-${randomUUID()}`;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await store.appendToStream(stream, [anEvent()], 'no_stream', { client });
      expect((await store.readStream(stream, { client })).version).toBe(1);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect((await store.readStream(stream)).version).toBe(0);
  });

  it('pages through the global log in numeric order across digit boundaries (9→10, 99→100)', async () => {
    const pagedSchema = `es_paging_${runId}`;
    const paged = new PostgresEventStore({ pool, schema: pagedSchema });
    try {
      await paged.ensureSchema();
      for (let batch = 0; batch < 12; batch++) {
        await paged.appendToStream(`paging-${randomUUID()}`, Array.from({ length: 10 }, () => anEvent()), 'no_stream');
      }
      const seen: RecordedEvent[] = [];
      let after: RecordedEvent['globalPosition'] | undefined;
      for (;;) {
        const page = await paged.readAll({ limit: 7, ...(after ? { after } : {}) });
        if (page.length === 0) break;
        seen.push(...page);
        after = page[page.length - 1].globalPosition;
      }
      expect(seen.map((e) => Number(e.globalPosition.prepare))).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    } finally {
      await paged.close();
      await pool.query(`DROP SCHEMA IF EXISTS "${pagedSchema}" CASCADE`);
    }
  });

  it('does not skip an event whose transaction commits late', async () => {
    const [early, late] = [`late-commit-a-${randomUUID()}`, `late-commit-b-${randomUUID()}`];
    const own = (events: readonly RecordedEvent[]) => events.filter((e) => e.streamName === early || e.streamName === late);
    const received: RecordedEvent[] = [];
    let reads = 0;
    const readAll = store.readAll.bind(store);
    const spy = jest.spyOn(store, 'readAll').mockImplementation(async (options) => {
      reads++;
      return readAll(options);
    });
    const subscription = store.subscribeToAll({ onEvents: async (events) => void received.push(...own(events)) });
    const t1 = await pool.connect();
    const t2 = await pool.connect();
    try {
      await t1.query('BEGIN');
      await t2.query('BEGIN');
      const e1 = anEvent();
      const e2 = anEvent();
      const first = await store.appendToStream(early, [e1], 'no_stream', { client: t1 });
      const second = await store.appendToStream(late, [e2], 'no_stream', { client: t2 });
      expect(BigInt(first.lastPosition.prepare)).toBeLessThan(BigInt(second.lastPosition.prepare));

      await t2.query('COMMIT');

      // T2 is committed and visible to plain queries, yet T1 (lower position) is still open:
      // the log must not hand out T2's event, or a checkpoint would pass T1's for good.
      expect((await store.readStream(late)).version).toBe(1);
      expect(own(await readAllOf(store))).toEqual([]);
      const readsAfterCommit = reads;
      await waitUntil(() => reads >= readsAfterCommit + 3);
      expect(received).toEqual([]);

      await t1.query('COMMIT');

      await waitUntil(() => received.length >= 2);
      expect(received.map((e) => e.eventId)).toEqual([e1.eventId, e2.eventId]);
      expect(own(await readAllOf(store)).map((e) => e.eventId)).toEqual([e1.eventId, e2.eventId]);
      expect(compareGlobalPositions(received[0].globalPosition, received[1].globalPosition)).toBe(-1);
    } finally {
      await t1.query('ROLLBACK').catch(() => undefined);
      await t2.query('ROLLBACK').catch(() => undefined);
      t1.release();
      t2.release();
      await subscription.close();
      spy.mockRestore();
    }
  });

  it("wakes its own subscriptions on an append, so the relay need not wait out the poll interval", async () => {
    // A poll interval of a minute: only the wake can deliver the event within the wait below.
    const slow = new PostgresEventStore({ pool, schema, pollIntervalMs: 60_000 });
    const stream = `woken-${randomUUID()}`;
    const received: RecordedEvent[] = [];
    const subscription = slow.subscribeToAll({ onEvents: async (events) => void received.push(...events.filter((e) => e.streamName === stream)) });
    try {
      // The subscription's first read finds the log as it is and then sleeps for the interval.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await slow.appendToStream(stream, [anEvent()], 'no_stream');
      await waitUntil(() => received.length === 1);
      expect(received.map((e) => e.streamName)).toEqual([stream]);
    } finally {
      await subscription.close();
    }
  });

  describe('two commands racing on one aggregate (RELIABILITY scenario 6)', () => {
    it('lets exactly one of many appends at the same version win; the rest get the versions', async () => {
      const stream = `race-${randomUUID()}`;
      await store.appendToStream(stream, [anEvent()], 'no_stream');
      const contenders = Array.from({ length: 12 }, () => anEvent());

      const outcomes = await Promise.allSettled(contenders.map((e) => store.appendToStream(stream, [e], 1)));

      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(losers).toHaveLength(11);
      for (const loser of losers) {
        expect(loser).toBeInstanceOf(VersionConflictError);
        expect(loser).toMatchObject({ streamName: stream, expectedVersion: 1, actualVersion: 2 });
      }
      expect((await store.readStream(stream)).version).toBe(2);
    });

    it('loses no update when racing writers re-read and retry on conflict', async () => {
      const stream = `counter-${randomUUID()}`;
      const writers = 8;
      const incrementsEach = 5;

      await Promise.all(
        Array.from({ length: writers }, async () => {
          for (let i = 0; i < incrementsEach; i++) {
            for (;;) {
              const { version } = await store.readStream(stream);
              try {
                await store.appendToStream(stream, [anEvent()], version === 0 ? 'no_stream' : version);
                break;
              } catch (error) {
                if (!(error instanceof VersionConflictError)) throw error;
              }
            }
          }
        }),
      );

      const { version, events } = await store.readStream(stream);
      expect(version).toBe(writers * incrementsEach);
      expect(events.map((e) => e.streamPosition)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
      expect(new Set(events.map((e) => e.eventId)).size).toBe(version);
    });

    it('serialises racing appends that expect any version instead of failing them', async () => {
      const stream = `race-any-${randomUUID()}`;
      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => store.appendToStream(stream, [anEvent()], 'any')));
      expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
      expect((await store.readStream(stream)).version).toBe(6);
    });
  });

  it('keeps its subscription delivering after its database connections are killed', async () => {
    const stream = `restart-${randomUUID()}`;
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({
      onEvents: async (events) => void received.push(...events.filter((e) => e.streamName === stream)),
      onError: () => undefined,
    });
    const admin = createPgPool(process.env.MIGRATION_DATABASE_URL ?? DEFAULT_DATABASE_URL, { max: 1 });
    try {
      await store.appendToStream(stream, [anEvent()], 'no_stream');
      await waitUntil(() => received.length >= 1);

      // What a Postgres restart does to this process: every connection dies under it.
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
      await appendEventually(store, stream, 1);

      await waitUntil(() => received.length >= 2);
      expect(received.map((e) => e.streamPosition)).toEqual([1, 2]);
    } finally {
      await subscription.close();
      await admin.end();
    }
  });
});

describe('CrossTenantReader', () => {
  const url = process.env.MIGRATION_DATABASE_URL ?? DEFAULT_DATABASE_URL;

  it('fails a read whose connection Postgres terminates, drops that connection, and reads on', async () => {
    const name = `reader-${randomUUID().slice(0, 8)}`;
    const source = createPgPool(url, { max: 1, application_name: name });
    const reader = new CrossTenantReader(source, 1);
    const admin = createPgPool(url, { max: 1 });
    try {
      expect((await reader.query<{ n: number }>('SELECT 1 AS n')).rows[0]!.n).toBe(1);
      const reading = reader.query('SELECT pg_sleep(10)').then(
        () => 'read',
        (error: Error) => error.message,
      );
      await waitUntilAsync(async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query = 'SELECT pg_sleep(10)'`, [name])).rowCount === 1);
      // Every connection of the reader dies, as in a Postgres restart; the process must survive it.
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]);
      expect(await reading).toMatch(/terminat/);
      expect((await reader.query<{ n: number }>('SELECT 2 AS n')).rows[0]!.n).toBe(2);
    } finally {
      await reader.end();
      await source.end();
      await admin.end();
    }
  });
});

async function waitUntilAsync(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function anEvent(tenantId = 'tenant-int'): EventToAppend {
  return {
    eventId: randomUUID(),
    type: 'Happened',
    data: { at: randomUUID() },
    schemaVersion: 1,
    metadata: {
      tenantId,
      actorId: 'actor',
      requestId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: '2025-01-01T00:00:00.000Z',
    },
  };
}

async function readAllOf(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (let after = undefined as RecordedEvent['globalPosition'] | undefined; ; ) {
    const page = await store.readAll({ after, limit: 1000 });
    if (page.length === 0) return all;
    all.push(...page);
    after = page[page.length - 1].globalPosition;
  }
}

/**
 * A connection killed under the pool fails the next query once; the caller retries the same
 * event, as services do — an idempotent replay if the lost attempt had in fact committed.
 */
async function appendEventually(store: PostgresEventStore, stream: string, expected: number): Promise<void> {
  const event = anEvent();
  for (let attempt = 0; ; attempt++) {
    try {
      await store.appendToStream(stream, [event], expected);
      return;
    } catch (error) {
      if (error instanceof VersionConflictError || attempt >= 5) throw error;
    }
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('createPgPool timeouts', () => {
  const url = process.env.MIGRATION_DATABASE_URL ?? DEFAULT_DATABASE_URL;

  it('sets statement, idle-in-transaction and lock timeouts on every session, by default', async () => {
    const defaults = createPgPool(url, { max: 1 });
    try {
      const { rows } = await defaults.query<{ name: string; ms: string }>(
        `SELECT name, setting AS ms FROM pg_settings WHERE name IN ('statement_timeout', 'idle_in_transaction_session_timeout', 'lock_timeout') ORDER BY name`,
      );
      expect(rows).toEqual([
        { name: 'idle_in_transaction_session_timeout', ms: String(DEFAULT_POSTGRES_TIMEOUTS.idleInTransactionTimeoutMs) },
        { name: 'lock_timeout', ms: String(DEFAULT_POSTGRES_TIMEOUTS.lockTimeoutMs) },
        { name: 'statement_timeout', ms: String(DEFAULT_POSTGRES_TIMEOUTS.statementTimeoutMs) },
      ]);
    } finally {
      await defaults.end();
    }
  });

  it('ends a transaction left idle past the limit, so it cannot hold readers of the log back', async () => {
    const short = createPgPool(url, { max: 1, timeouts: { idleInTransactionTimeoutMs: 200 }, onIdleClientError: () => undefined });
    const client = await short.connect();
    client.on('error', () => undefined);
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()');
      await new Promise((resolve) => setTimeout(resolve, 600));
      await expect(client.query('SELECT 1')).rejects.toThrow(/idle-in-transaction timeout|terminat|Connection/i);
    } finally {
      client.release(true);
      await short.end();
    }
  });

  it('cancels a statement that runs past the limit', async () => {
    const short = createPgPool(url, { max: 1, timeouts: { statementTimeoutMs: 100 } });
    try {
      await expect(short.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
    } finally {
      await short.end();
    }
  });
});
