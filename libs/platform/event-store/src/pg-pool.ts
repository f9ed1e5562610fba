import { Pool, type PoolClient, type PoolConfig, type QueryResult, type QueryResultRow } from 'pg';
import { CROSS_TENANT_SESSION_SQL, type DatabaseScope, enterScope } from './database-scope';

/**
 * Server-side limits every session of the platform runs under. A statement that runs away, or a
 * transaction left open by a crashed or hung caller, would otherwise hold a transaction id without
 * end, and every relay in the cluster reads only below the oldest running one.
 */
export interface PostgresTimeouts {
  /** `statement_timeout`: longest a single statement may run. */
  readonly statementTimeoutMs: number;
  /** `idle_in_transaction_session_timeout`: longest a transaction may sit idle between statements. */
  readonly idleInTransactionTimeoutMs: number;
  /**
   * `lock_timeout`: longest a statement may wait for a lock. A consumer whose transaction already
   * holds a transaction id (its inbox claim) and then waits on a lock holds back every relay in the
   * cluster for as long as it waits; this bounds the wait, and the consumer retries the message as
   * an outage (SQLSTATE 55P03) after a backoff, during which the relays catch up.
   */
  readonly lockTimeoutMs: number;
}

/** The defaults (config: PG_STATEMENT_TIMEOUT_MS, PG_IDLE_IN_TRANSACTION_TIMEOUT_MS, PG_LOCK_TIMEOUT_MS). */
export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = { statementTimeoutMs: 60_000, idleInTransactionTimeoutMs: 15_000, lockTimeoutMs: 5_000 };

/** The timeouts as node-postgres connection parameters (sent at connect, so they hold for every statement). */
export function postgresTimeoutParameters(timeouts: Partial<PostgresTimeouts> = {}): {
  statement_timeout: number;
  idle_in_transaction_session_timeout: number;
  lock_timeout: number;
} {
  const { statementTimeoutMs, idleInTransactionTimeoutMs, lockTimeoutMs } = { ...DEFAULT_POSTGRES_TIMEOUTS, ...definedOnly(timeouts) };
  return { statement_timeout: statementTimeoutMs, idle_in_transaction_session_timeout: idleInTransactionTimeoutMs, lock_timeout: lockTimeoutMs };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface PgPoolOptions extends Omit<PoolConfig, 'connectionString'> {
  /** Defaults to DEFAULT_POSTGRES_TIMEOUTS. */
  readonly timeouts?: Partial<PostgresTimeouts>;
  /**
   * Called when an idle pooled connection fails (e.g. Postgres restarts). The pool drops that
   * connection and opens a new one on the next query; without a listener Node would crash.
   */
  readonly onIdleClientError?: (error: Error) => void;
}

/**
 * A pg Pool with the settings every service wants: TCP keep-alive so dead peers are noticed,
 * a bounded size, idle connections recycled, a connect timeout so a down database fails fast
 * instead of hanging, an 'error' listener so a Postgres restart does not kill the process, and
 * statement and idle-in-transaction timeouts (PostgresTimeouts).
 */
export function createPgPool(url: string, options: PgPoolOptions = {}): Pool {
  const { onIdleClientError, timeouts, ...config } = options;
  const pool = new Pool({
    connectionString: url,
    max: 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'projectflo',
    ...postgresTimeoutParameters(timeouts),
    ...config,
  });
  pool.on('error', (error) => {
    if (onIdleClientError) onIdleClientError(error);
    else process.emitWarning(`idle Postgres connection failed and was dropped: ${error.message}`, 'PgPoolWarning');
  });
  return pool;
}

/** The Postgres URL integration tests, benches and local runs default to. */
export const DEFAULT_DATABASE_URL = 'postgres://projectflo:projectflo@127.0.0.1:55432/projectflo';

/**
 * Runs `fn` on one pooled connection inside a transaction: committed when it resolves, rolled back
 * when it rejects (the rejection is passed on). A connection whose rollback fails too (Postgres
 * restarted under it) is dropped instead of going back to the pool.
 */
export function inPgTransaction<R>(pool: Pool, fn: (client: PoolClient) => Promise<R>): Promise<R> {
  return onPooledClient(pool, async (client, drop) => {
    try {
      await client.query('BEGIN');
      const value = await fn(client);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(drop);
      throw error;
    }
  });
}

/**
 * Runs `fn` on one checked-out connection and gives it back: to the pool, or destroyed when `fn`
 * called `drop()` or the connection reported an error while checked out. A connection that dies
 * between two statements reports it as an 'error' event; the next statement fails with it, and
 * without a listener Node would crash the process.
 */
async function onPooledClient<R>(pool: Pool, fn: (client: PoolClient, drop: () => void) => Promise<R>): Promise<R> {
  const client = await pool.connect();
  let broken = false;
  const drop = (): void => {
    broken = true;
  };
  client.on('error', drop);
  try {
    return await fn(client, drop);
  } finally {
    client.off('error', drop);
    client.release(broken);
  }
}

/** inPgTransaction in a row-level-security scope (database-scope.ts): the tenant's rows, or every tenant's. */
export function inScopedTransaction<R>(pool: Pool, scope: DatabaseScope, fn: (client: PoolClient) => Promise<R>): Promise<R> {
  return inPgTransaction(pool, async (client) => {
    await enterScope(client, scope);
    return fn(client);
  });
}

/**
 * Single-statement cross-tenant reads on connections of their own, each switched to the
 * cross-tenant role once for its whole session: a read is one round trip instead of four (BEGIN,
 * the role switch, the read, COMMIT). The connections serve these reads and nothing else, so no
 * write and no tenant-scoped work ever runs in the session's role. Connections are opened on first
 * use (at most `max`, default 4) with the settings of `from` (timeouts, keep-alive); a connection
 * whose role switch or read failed is dropped, never used unswitched or half-working.
 */
export class CrossTenantReader {
  private pool: Pool | undefined;
  private readonly switched = new WeakSet<PoolClient>();

  constructor(
    private readonly from: Pool,
    private readonly max = 4,
  ) {}

  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>> {
    return onPooledClient(this.connections(), async (client, drop) => {
      try {
        if (!this.switched.has(client)) {
          await client.query(CROSS_TENANT_SESSION_SQL);
          this.switched.add(client);
        }
        return await client.query<R>(text, values);
      } catch (error) {
        // Any failure (a failed switch, a connection Postgres closed, a statement timeout) drops the
        // connection: errors are rare, and a dropped one cannot be handed out again half-working.
        drop();
        throw error;
      }
    });
  }

  async end(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  private connections(): Pool {
    if (this.pool === undefined) {
      // The source pool's settings, connection string and timeouts included; idle connections do not keep the process alive.
      const pool = new Pool({ ...this.from.options, max: this.max, allowExitOnIdle: true });
      pool.on('error', (error) => process.emitWarning(`idle Postgres connection (cross-tenant reads) failed and was dropped: ${error.message}`, 'PgPoolWarning'));
      this.pool = pool;
    }
    return this.pool;
  }
}
