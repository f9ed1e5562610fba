import { isInfrastructureOutage } from '@projectflo/platform/core';
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

/**
 * Classifies a failed attempt. The one place that tells a bad message (bounded retries, then the
 * dead-letter topic) from an outage (wait; the outage rule itself is core's
 * `isInfrastructureOutage`, which the gRPC edge and start-up share); see `FailureKind`.
 */
export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof PoisonMessageError) return 'poison';
  return isInfrastructureOutage(error) ? 'outage' : 'error';
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

/**
 * Whether the broker refused the client's SASL credentials (kafkajs reports it as a non-retriable
 * error, alone or as the cause of one). Seen while a restarted local broker has not had its SCRAM
 * credentials put back yet (scripts/infra.sh): a consumer that stops for good there would take
 * its service down for a broker restart, so consumers subscribe again instead.
 */
export function isBrokerAuthenticationFailure(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (current.name === 'KafkaJSSASLAuthenticationError' || /\bSASL\b.*authentication failed/i.test(current.message)) return true;
  }
  return false;
}
