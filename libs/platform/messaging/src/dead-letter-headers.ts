import type { IHeaders } from 'kafkajs';

const PREFIX = 'x-dlq-';

/**
 * Headers a consumer adds to a dead letter, next to the original message's own headers (key and
 * value are kept as they were).
 */
export const DLQ_HEADERS = {
  prefix: PREFIX,
  /** `<code>: <detail>`, e.g. `invalid-payload: ...` or `retries-exhausted: <error class>: <message>`. */
  reason: `${PREFIX}reason`,
  /** The error's class, e.g. `PoisonMessageError`, `DriverException`. */
  errorClass: `${PREFIX}error-class`,
  /** A SQLSTATE, Node error code or poison reason code, when the error had one. */
  errorCode: `${PREFIX}error-code`,
  /** Failed attempts that counted toward the budget (outages do not). */
  attempts: `${PREFIX}attempts`,
  originalTopic: `${PREFIX}original-topic`,
  originalPartition: `${PREFIX}original-partition`,
  originalOffset: `${PREFIX}original-offset`,
  consumerGroup: `${PREFIX}consumer-group`,
  failedAt: `${PREFIX}failed-at`,
} as const;

/** The message's headers without any `x-dlq-*` header: what it carried before it was dead-lettered. */
export function originalHeaders(headers: IHeaders | undefined): IHeaders {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !name.startsWith(PREFIX)));
}
