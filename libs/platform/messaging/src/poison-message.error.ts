export type PoisonReasonCode =
  | 'missing-header'
  | 'invalid-header'
  | 'missing-value'
  | 'invalid-json'
  | 'unknown-event-type'
  | 'invalid-payload'
  | 'unsupported-schema-version'
  /** The command a message asks for was refused for good (a domain rule, not a race). */
  | 'rejected-command'
  /** The message came from a topic its consumer cannot attribute (e.g. no tenant's inbound topic). */
  | 'unknown-topic'
  /** The body names a tenant other than the one its producer authenticated as (the topic's). */
  | 'tenant-mismatch';

/**
 * A message that can never be processed, however often it is retried: it goes to the consumer
 * group's dead-letter topic at once with `reason`, and the consumer moves on. Other errors are
 * classified by `classifyFailure`: an outage is waited out, anything else is retried a bounded
 * number of times before it is dead-lettered too.
 * Handlers may throw it too, for a payload that decodes but violates the contract.
 */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';

  constructor(
    readonly code: PoisonReasonCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }

  /** The text written to the `x-dlq-reason` header. */
  get reason(): string {
    return this.message;
  }
}

export function isPoisonMessageError(error: unknown): error is PoisonMessageError {
  return error instanceof PoisonMessageError;
}
