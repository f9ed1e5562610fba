/*
 * The one rule that tells an infrastructure outage (Postgres, Temporal or Kafka down, restarting
 * or unreachable: the same work may succeed later) from every other failure. Consumers wait an
 * outage out instead of dead-lettering the message (classifyFailure in platform/messaging),
 * start-up retries it, and the gRPC edge answers it UNAVAILABLE so the caller retries.
 */

/** Node socket errors of a peer that is down, restarting or unreachable. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATE classes and codes of a database that is down, overloaded or restarting, or of a
 * transaction that lost a race it may win next time. Data exceptions (22xxx), constraint
 * violations (23xxx) and everything else are deterministic for the same input.
 */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53', '58']);
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57014', // query_canceled: a statement timeout while the database is struggling
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '57P05', // idle_session_timeout
  '25P03', // idle_in_transaction_session_timeout
]);

/** node-postgres, pg-pool, knex and MikroORM report a lost or unobtainable connection without a code. */
const LOST_CONNECTION_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Timeout acquiring a connection|server closed the connection unexpectedly/i;

/** gRPC status codes (Temporal's client) of a server that is unreachable or too slow right now. */
const GRPC_TRANSIENT_CODES = new Set([
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED (rate limited)
  14, // UNAVAILABLE
]);

/**
 * True when `error` says infrastructure is unavailable right now. It follows `cause` chains and
 * AggregateError members, because clients wrap the socket error (Temporal's ServiceError,
 * KafkaJSNumberOfRetriesExceeded, MikroORM's DriverException, Node's happy-eyeballs AggregateError).
 */
export function isInfrastructureOutage(error: unknown): boolean {
  return causeChain(error).some(isOutage);
}

function isOutage(error: object): boolean {
  const { name, code, retriable, message, details, metadata } = error as {
    name?: unknown;
    code?: unknown;
    retriable?: unknown;
    message?: unknown;
    details?: unknown;
    metadata?: unknown;
  };
  // kafkajs says itself whether an error may heal (its protocol error codes are numbers too).
  if (typeof name === 'string' && name.startsWith('KafkaJS')) return retriable === true;
  if (typeof code === 'string') {
    if (NETWORK_ERROR_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
  }
  // A grpc-js ServiceError: numeric status with `details` and `metadata`.
  if (typeof code === 'number' && typeof details === 'string' && metadata !== undefined) return GRPC_TRANSIENT_CODES.has(code);
  return typeof message === 'string' && LOST_CONNECTION_MESSAGE.test(message);
}

/** The error, its causes and the members of aggregate errors, each once. */
function causeChain(error: unknown): object[] {
  const seen = new Set<object>();
  const pending: unknown[] = [error];
  while (pending.length > 0 && seen.size < 32) {
    const next = pending.shift();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    const { cause, errors } = next as { cause?: unknown; errors?: unknown };
    pending.push(cause);
    if (Array.isArray(errors)) pending.push(...(errors as unknown[]));
  }
  return [...seen];
}
