export type PoisonReasonCode =
  | 'missing-header'
  | 'invalid-header'
  | 'missing-value'
  | 'invalid-json'
  | 'unknown-event-type'
  | 'invalid-payload'
  | 'unsupported-schema-version';

/**
 * A message that can never be processed, however often it is retried: it goes to the consumer
 * group's dead-letter topic with `reason`, and the consumer moves on. Any other error is treated
 * as transient and retried, because dropping an event is worse than waiting.
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
