import {
  quoteIdentifier,
  VersionConflictError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type ExpectedVersion,
  type GlobalPosition,
  type LogBacklog,
  type ReadAllOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '@projectflo/platform/core';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { assertAppendable, assertAppendableStreams, isIdempotentReplay } from './append-rules';
import { CROSS_TENANT, type DatabaseScope, enterScope } from './database-scope';
import { createPgPool, CrossTenantReader, inPgTransaction, inScopedTransaction } from './pg-pool';
import { OpenSubscriptions } from './open-subscriptions';
import { PollingSubscription } from './polling-subscription';
import { EVENT_STORE_SCHEMA_STEPS, schemaBootstrapSql } from './postgres-event-store.schema';

/** What the store needs of a pg Pool or a checked-out client. */
interface SqlClient {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

export interface PostgresEventStoreOptions {
  readonly pool: Pool;
  /** The owning service's Postgres schema, e.g. `crm` or `task_engine`. */
  readonly schema: string;
  /** Pause of a caught-up subscription between reads; default 100 ms. */
  readonly pollIntervalMs?: number;
  /** Cap of a failing subscription's backoff; default 5 s. */
  readonly maxBackoffMs?: number;
  /** End the pool in `close()`; true only when the store created it. */
  readonly ownsPool?: boolean;
}

export interface PostgresAppendOptions {
  /**
   * Append inside the caller's open transaction (BEGIN issued by the caller), so the events
   * commit or roll back with the caller's other writes; the append enters its tenant's scope there. A conflict raised by Postgres aborts that
   * transaction: the caller must roll it back. Keep such transactions short — every reader of
   * the global log waits behind the oldest open transaction.
   */
  readonly client?: PoolClient;
}

interface AppendRow {
  readonly version: number | null;
  readonly prepare: string | null;
  readonly commit: string;
}

interface EventRow {
  readonly global_position: string;
  readonly transaction_id: string;
  readonly stream_name: string;
  readonly stream_position: number;
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly recorded_at: Date;
}

const EVENT_COLUMNS = `global_position::text AS global_position, transaction_id::text AS transaction_id, stream_name,
  stream_position, event_id, type, schema_version, data, metadata, recorded_at`;
const POSITION_CONSTRAINT = 'events_stream_position_unique';
const UNIQUE_VIOLATION = '23505';
/** The session whose transaction is the oldest running one (the one holding readers back). */
const OLDEST_TRANSACTION_SQL = `
  SELECT pid, application_name, state, floor(extract(epoch FROM clock_timestamp() - xact_start) * 1000)::bigint::text AS age_ms
  FROM pg_stat_activity
  WHERE backend_xid IS NOT NULL
  ORDER BY age(backend_xid) DESC
  LIMIT 1`;
/** Retries of an 'any' / 'stream_exists' append that lost a position race (nothing was expected). */
const MAX_POSITION_RACE_RETRIES = 5;

/** Rolls a multi-stream append back at the first stream whose expectation failed (never leaves the store). */
class RejectedAppend extends Error {
  constructor(readonly append: StreamAppend) {
    super(`append to ${append.streamName} rejected`);
  }
}

/**
 * The embedded event store: one `events` table per service schema, appends in one statement,
 * and a global log read in commit order (transaction id, then sequence) strictly below the
 * oldest running transaction, following emmett's PostgreSQL store.
 *
 * Row-level security (database-scope.ts): an append runs in its events' tenant scope, so the
 * events policy refuses a row of another tenant; the global log (relay, lag figures) and streams
 * are read cross-tenant. A stream is read by name for the command executor, which refuses a stream
 * of another tenant (NOT_FOUND) before deciding: that check, not RLS, guards command reads.
 * `ensureSchema` is DDL: it runs on the owner's connection (migrations), never the service's.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  /** readStream, readAll and backlog without a caller's transaction: one statement each. */
  private readonly reader: CrossTenantReader;
  private readonly schema: string;
  private readonly subscriptions = new OpenSubscriptions<PollingSubscription>();
  private readonly sql: ReturnType<typeof buildSql>;

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.pool = options.pool;
    this.reader = new CrossTenantReader(options.pool);
    this.schema = options.schema;
    this.sql = buildSql(quoteIdentifier(options.schema, 'schema'));
  }

  /** A store with its own pool (createPgPool); `close()` ends that pool. */
  static connect(url: string, schema: string, options: Omit<PostgresEventStoreOptions, 'pool' | 'schema' | 'ownsPool'> = {}): PostgresEventStore {
    return new PostgresEventStore({ ...options, pool: createPgPool(url), schema, ownsPool: true });
  }

  get schemaName(): string {
    return this.schema;
  }

  /**
   * Creates the schema, the events table and its indexes if missing, and records the DDL version;
   * safe to call from every instance at start-up (serialised by an advisory lock).
   */
  async ensureSchema(): Promise<void> {
    const s = quoteIdentifier(this.schema, 'schema');
    await inPgTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projectflo.event_store.${this.schema}`]);
      await client.query(schemaBootstrapSql(s));
      const applied = await client.query<{ version: number }>(`SELECT version FROM ${s}.event_store_schema_version`);
      const done = new Set(applied.rows.map((r) => r.version));
      for (const step of EVENT_STORE_SCHEMA_STEPS) {
        if (done.has(step.version)) continue;
        await client.query(step.sql(s));
        await client.query(`INSERT INTO ${s}.event_store_schema_version (version, description) VALUES ($1, $2)`, [
          step.version,
          step.description,
        ]);
      }
    });
  }

  /**
   * One round trip: a single statement reads the stream's version and inserts the batch only when
   * it matches the expectation. A concurrent writer that claimed the same positions first makes
   * the insert fail on (stream_name, stream_position): that is a conflict too.
   */
  async appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    expectedVersion: ExpectedVersion,
    options: PostgresAppendOptions = {},
  ): Promise<AppendResult> {
    assertAppendable(streamName, events, expectedVersion);
    const append: StreamAppend = { streamName, events, expectedVersion };
    const scope = tenantScopeOf([append]);
    const params = appendParameters(streamName, events, expectedVersion);
    for (let attempt = 0; ; attempt++) {
      let violation: UniqueViolation | undefined;
      try {
        const { rows } = await this.inScope(scope, options.client, (db) => db.query<AppendRow>(this.sql.append, params));
        const row = rows[0];
        if (row !== undefined && row.version !== null && row.prepare !== null) {
          // In the caller's transaction the events are visible only once it commits: the wake may find nothing yet.
          this.wakeSubscriptions();
          return { nextExpectedVersion: row.version, lastPosition: { commit: row.commit, prepare: row.prepare } };
        }
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        violation = error;
      }
      const expectedNothing = expectedVersion === 'any' || expectedVersion === 'stream_exists';
      if (violation?.constraint === POSITION_CONSTRAINT && expectedNothing && !options.client && attempt < MAX_POSITION_RACE_RETRIES) {
        continue;
      }
      // A failed statement aborted the caller's transaction; only the pool can still read then.
      const [replayed] = await this.inScope(scope, violation ? undefined : options.client, (db) => this.resolveRejectedAppends([append], append, db));
      return replayed;
    }
  }

  /**
   * One transaction, one append statement per stream, in stream-name order so two multi-stream
   * appends always take their row locks in the same order and cannot deadlock. The first stream
   * whose expectation fails rolls everything back.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    assertAppendableStreams(appends);
    const inLockOrder = [...appends.keys()].sort((a, b) => (appends[a].streamName < appends[b].streamName ? -1 : 1));
    const scope = tenantScopeOf(appends);
    try {
      return await inScopedTransaction(this.pool, scope, async (client) => {
        const results: AppendResult[] = new Array<AppendResult>(appends.length);
        for (const index of inLockOrder) {
          const result = await this.tryAppend(client, appends[index]);
          if (result === undefined) throw new RejectedAppend(appends[index]);
          results[index] = result;
        }
        return results;
      }).then((results) => {
        this.wakeSubscriptions();
        return results;
      });
    } catch (error) {
      if (error instanceof RejectedAppend) {
        const { append } = error;
        return inScopedTransaction(this.pool, scope, (client) => this.resolveRejectedAppends(appends, append, client));
      }
      throw error;
    }
  }

  async readStream(streamName: string, options: { client?: PoolClient } = {}): Promise<ReadStreamResult> {
    const { rows } = options.client
      ? await this.inScope(CROSS_TENANT, options.client, (db) => db.query<EventRow>(this.sql.readStream, [streamName]))
      : await this.reader.query<EventRow>(this.sql.readStream, [streamName]);
    const events = rows.map(toRecordedEvent);
    return { version: events.length === 0 ? 0 : events[events.length - 1].streamPosition, events };
  }

  /**
   * Commit order, never skipping a late commit: only rows of transactions older than every
   * transaction still running are visible, so no row can later appear behind the checkpoint.
   */
  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const after = options.after ?? { commit: '0', prepare: '0' };
    const { rows } = await this.reader.query<EventRow>(this.sql.readAll, [after.commit, after.prepare, options.limit]);
    return rows.map(toRecordedEvent);
  }

  /**
   * Events after `after`, and how many of them are committed but still behind the oldest running
   * transaction (readAll cannot deliver them yet), with that transaction's session: a relay that
   * reports only what it has read would show no lag while a long transaction anywhere in the
   * cluster holds it back.
   */
  async backlog(after: GlobalPosition | undefined): Promise<LogBacklog> {
    const from = after ?? { commit: '0', prepare: '0' };
    const { rows } = await this.reader.query<{ events: number; held_back: number; oldest: Date | null }>(this.sql.backlog, [from.commit, from.prepare]);
    const { events, held_back: heldBack, oldest } = rows[0];
    const backlog: LogBacklog = { events, heldBack, ...(oldest ? { oldestRecordedAt: oldest.toISOString() } : {}) };
    if (heldBack === 0) return backlog;
    const holder = await this.pool.query<{ pid: number; application_name: string; state: string; age_ms: string }>(OLDEST_TRANSACTION_SQL);
    const h = holder.rows[0];
    return h ? { ...backlog, holder: { pid: h.pid, applicationName: h.application_name, state: h.state, ageMs: Number(h.age_ms) } } : backlog;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription = new PollingSubscription({
      ...options,
      read: (after, limit) => this.readAll({ after, limit }),
      pollIntervalMs: this.options.pollIntervalMs ?? 100,
      maxBackoffMs: this.options.maxBackoffMs ?? 5_000,
    });
    return this.subscriptions.track(subscription);
  }

  /**
   * This process's subscriptions (its relay) read at once instead of at their next poll: an event
   * appended here reaches Kafka without waiting out the poll interval. Appends of other processes
   * are still found by polling.
   */
  private wakeSubscriptions(): void {
    for (const subscription of this.subscriptions) subscription.wake();
  }

  async close(): Promise<void> {
    await this.subscriptions.closeAll();
    await this.reader.end();
    if (this.options.ownsPool) await this.pool.end();
  }

  /** `fn` in `scope`: on the caller's open transaction when given, else in a transaction of its own. */
  private inScope<R>(scope: DatabaseScope, client: PoolClient | undefined, fn: (db: SqlClient) => Promise<R>): Promise<R> {
    if (client === undefined) return inScopedTransaction(this.pool, scope, fn);
    return enterScope(client, scope).then(() => fn(client));
  }

  /** Runs one stream's append statement; undefined when the stream did not match its expectation. */
  private async tryAppend(db: SqlClient, append: StreamAppend): Promise<AppendResult | undefined> {
    try {
      const { rows } = await db.query<AppendRow>(this.sql.append, appendParameters(append.streamName, append.events, append.expectedVersion));
      const row = rows[0];
      if (row === undefined || row.version === null || row.prepare === null) return undefined;
      return { nextExpectedVersion: row.version, lastPosition: { commit: row.commit, prepare: row.prepare } };
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  /**
   * After a rejected append: the original results when every stream's batch was recorded before
   * exactly so (an idempotent replay), otherwise a conflict on `rejected` with its actual version.
   */
  private async resolveRejectedAppends(appends: readonly StreamAppend[], rejected: StreamAppend, db: SqlClient): Promise<AppendResult[]> {
    const ids = appends.flatMap((a) => a.events.map((e) => e.eventId));
    const recorded = await db.query<{ event_id: string; stream_name: string; stream_position: number; global_position: string; transaction_id: string }>(
      this.sql.findEventIds,
      [ids],
    );
    const replays = appends.map((append) => {
      const own = new Set(append.events.map((e) => e.eventId));
      const rows = recorded.rows.filter((r) => own.has(r.event_id));
      const placements = rows.map((r) => ({ eventId: r.event_id, streamName: r.stream_name, streamPosition: r.stream_position }));
      if (!isIdempotentReplay(append.streamName, append.events, append.expectedVersion, placements)) return undefined;
      const last = rows.reduce((a, b) => (b.stream_position > a.stream_position ? b : a));
      return { nextExpectedVersion: last.stream_position, lastPosition: { commit: last.transaction_id, prepare: last.global_position } };
    });
    if (replays.every((r) => r !== undefined)) return replays;
    const { rows } = await db.query<{ version: number }>(this.sql.streamVersion, [rejected.streamName]);
    throw new VersionConflictError(rejected.streamName, rejected.expectedVersion, rows[0]?.version ?? 0);
  }
}

function buildSql(s: string) {
  return {
    append: `
      WITH current_version AS (
        SELECT COALESCE(MAX(stream_position), 0) AS version FROM ${s}.events WHERE stream_name = $1
      ), appended AS (
        INSERT INTO ${s}.events (stream_name, stream_position, event_id, type, schema_version, tenant_id, data, metadata)
        SELECT $1, c.version + e.ordinal, e.event_id, e.type, e.schema_version, e.tenant_id, e.data, e.metadata
        FROM current_version c,
             unnest($2::uuid[], $3::text[], $4::int[], $5::text[], $6::jsonb[], $7::jsonb[])
               WITH ORDINALITY AS e(event_id, type, schema_version, tenant_id, data, metadata, ordinal)
        WHERE CASE $8::text
                WHEN 'any' THEN true
                WHEN 'no_stream' THEN c.version = 0
                WHEN 'stream_exists' THEN c.version > 0
                ELSE c.version = $9::int
              END
        ORDER BY e.ordinal
        RETURNING stream_position, global_position
      )
      SELECT MAX(stream_position) AS version, MAX(global_position)::text AS prepare, pg_current_xact_id()::text AS commit
      FROM appended`,
    readStream: `SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE stream_name = $1 ORDER BY stream_position`,
    readAll: `
      SELECT ${EVENT_COLUMNS} FROM ${s}.events AS ev
      WHERE (ev.transaction_id, ev.global_position) > ($1::xid8, $2::bigint)
        AND ev.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      -- Qualified: the select list casts these names to text, and an unqualified ORDER BY would
      -- sort by those text columns (1, 10, 100, 11, ...) and break paging across batches.
      ORDER BY ev.transaction_id, ev.global_position
      LIMIT $3`,
    backlog: `
      SELECT count(*)::int AS events,
             count(*) FILTER (WHERE ev.transaction_id >= pg_snapshot_xmin(pg_current_snapshot()))::int AS held_back,
             min(ev.recorded_at) AS oldest
      FROM ${s}.events AS ev
      WHERE (ev.transaction_id, ev.global_position) > ($1::xid8, $2::bigint)`,
    streamVersion: `SELECT COALESCE(MAX(stream_position), 0) AS version FROM ${s}.events WHERE stream_name = $1`,
    findEventIds: `
      SELECT event_id, stream_name, stream_position, global_position::text AS global_position, transaction_id::text AS transaction_id
      FROM ${s}.events WHERE event_id = ANY($1::uuid[])`,
  };
}

/** The tenant whose scope an append runs in: every event appended together belongs to one tenant. */
function tenantScopeOf(appends: readonly StreamAppend[]): DatabaseScope {
  const tenants = new Set(appends.flatMap((a) => a.events.map((e) => e.metadata.tenantId)));
  if (tenants.size !== 1) throw new Error(`one append writes the events of one tenant, got ${tenants.size}`);
  const [tenantId] = tenants;
  return { tenantId };
}

function appendParameters(streamName: string, events: readonly EventToAppend[], expected: ExpectedVersion): unknown[] {
  return [
    streamName,
    events.map((e) => e.eventId),
    events.map((e) => e.type),
    events.map((e) => e.schemaVersion),
    events.map((e) => e.metadata.tenantId),
    events.map((e) => JSON.stringify(e.data ?? null)),
    events.map((e) => JSON.stringify(e.metadata)),
    typeof expected === 'number' ? 'exact' : expected,
    typeof expected === 'number' ? expected : null,
  ];
}

interface UniqueViolation extends Error {
  readonly code: typeof UNIQUE_VIOLATION;
  readonly constraint?: string;
}

function isUniqueViolation(error: unknown): error is UniqueViolation {
  return error instanceof Error && (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  const globalPosition: GlobalPosition = { commit: row.transaction_id, prepare: row.global_position };
  return {
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    schemaVersion: row.schema_version,
    metadata: row.metadata,
    streamName: row.stream_name,
    streamPosition: row.stream_position,
    globalPosition,
    recordedAt: row.recorded_at.toISOString(),
  };
}
