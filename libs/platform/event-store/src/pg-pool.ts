import { Pool, type PoolConfig } from 'pg';

export interface PgPoolOptions extends Omit<PoolConfig, 'connectionString'> {
  /**
   * Called when an idle pooled connection fails (e.g. Postgres restarts). The pool drops that
   * connection and opens a new one on the next query; without a listener Node would crash.
   */
  readonly onIdleClientError?: (error: Error) => void;
}

/**
 * A pg Pool with the settings every service wants: TCP keep-alive so dead peers are noticed,
 * a bounded size, idle connections recycled, a connect timeout so a down database fails fast
 * instead of hanging, and an 'error' listener so a Postgres restart does not kill the process.
 */
export function createPgPool(url: string, options: PgPoolOptions = {}): Pool {
  const { onIdleClientError, ...config } = options;
  const pool = new Pool({
    connectionString: url,
    max: 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'projectflo',
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
