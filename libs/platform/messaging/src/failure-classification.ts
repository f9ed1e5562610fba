import { PoisonMessageError } from './poison-message.error';

/**
 * How a consumer treats a failed attempt at a message:
 * - `poison`: the message itself can never be handled (undecodable, breaks its contract): dead-letter it now;
 * - `outage`: infrastructure is unavailable (Postgres, Temporal, Kafka): wait and retry without
 *   limit, because the message is fine and dropping it would lose it;
 * - `error`: anything else (a constraint, a value the database cannot store, a bug): retry a
 *   bounded number of times in case it was a race, then dead-letter it and move on.
 */
export type FailureKind = 'poison' | 'outage' | 'error';

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
 * violations (23xxx) and everything else are deterministic for the same message.
 */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53', '58']);
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57014', // query_canceled: a statement timeout while the database is struggling
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, in recovery)
  '57P05', // idle_session_timeout
  '25P03', // idle_in_transaction_session_timeout
]);

/** node-postgres, pg-pool and knex report a lost or unobtainable connection without a code. */
const LOST_CONNECTION_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Timeout acquiring a connection|server closed the connection unexpectedly/i;

/** gRPC status codes (Temporal's client) of a server that is unreachable or too slow right now. */
const GRPC_TRANSIENT_CODES = new Set([
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED (rate limited)
  14, // UNAVAILABLE
]);

/**
 * Classifies a failed attempt. The one place that tells an outage (wait) from a bad message
 * (bounded retries, then the dead-letter topic); see `FailureKind`. It follows `cause` chains and
 * AggregateError members, because clients wrap the socket error (Temporal's ServiceError,
 * KafkaJSNumberOfRetriesExceeded, Node's happy-eyeballs AggregateError).
 */
export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof PoisonMessageError) return 'poison';
  return causeChain(error).some(isOutage) ? 'outage' : 'error';
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

/** What the dead-letter headers and logs say about a failure. */
export interface FailureDescription {
  /** The error's class (`name`), e.g. `PoisonMessageError`, `DriverException`, `TypeError`. */
  readonly errorClass: string;
  /** A SQLSTATE, a Node error code or the poison reason code, when the error carries one. */
  readonly errorCode?: string;
  readonly message: string;
}

export function describeFailure(error: unknown): FailureDescription {
  if (error instanceof PoisonMessageError) return { errorClass: error.name, errorCode: error.code, message: error.message };
  if (!(error instanceof Error)) return { errorClass: typeof error, message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    errorClass: error.name || error.constructor.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { errorCode: String(code) } : {}),
    message: error.message,
  };
}
