/**
 * The contract between the delivery workflow and the outside world: one adapter per external
 * channel (SMTP email, SMS provider, Slack incoming webhook). The in-app channel is not an
 * adapter: it is InboxCommands.deliver in this service.
 *
 * An adapter sends one message and either returns the provider's message id or throws a
 * DeliveryError. The delivery id travels to the provider as its idempotency key (SMS), its
 * Message-ID (email) or in the payload (Slack), so a retried send can be recognised downstream.
 * Adapters never log or return secrets or message bodies in errors.
 */
export type ExternalChannel = 'email' | 'sms' | 'slack';

export interface OutboundAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: string | Buffer;
}

export interface OutboundMessage {
  /** Deterministic delivery id (rule, subject, occurrence): the provider's idempotency key / Message-ID. */
  readonly deliveryId: string;
  readonly tenantId: string;
  /** Email address or E.164 phone number; for Slack a label only (messages go to the tenant's webhook from its channel settings, never to a URL a rule names). */
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly attachments?: readonly OutboundAttachment[];
}

export interface ChannelAdapter {
  readonly channel: ExternalChannel;
  send(message: OutboundMessage): Promise<{ providerMessageId: string }>;
}

/** Base of both outcomes the caller acts on; `reason` is safe to record (no secret, no body). */
export abstract class DeliveryError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    readonly channel: ExternalChannel,
    readonly reason: string,
  ) {
    super(`${channel}: ${reason}`);
    this.name = new.target.name;
  }
}

/** Network failure, timeout, 429 or 5xx: retry with backoff; `retryAfterMs` is the provider's hint. */
export class TransientDeliveryError extends DeliveryError {
  readonly retryable = true;
  constructor(
    channel: ExternalChannel,
    reason: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(channel, reason);
  }
}

/** Bad address, refused credentials, any 4xx but 429: recorded with the reason, never retried. */
export class PermanentDeliveryError extends DeliveryError {
  readonly retryable = false;
}

export type DeliveryFailure =
  | { readonly kind: 'transient'; readonly reason: string; readonly retryAfterMs: number | null }
  | { readonly kind: 'permanent'; readonly reason: string };

/**
 * The one place that decides whether a failed send is retried. Adapters throw the typed errors;
 * anything else that escapes (a bug, an unexpected library error) is treated as transient so a
 * bounded retry policy (the workflow's) decides, not a guess here.
 */
export function classifyDeliveryFailure(error: unknown): DeliveryFailure {
  if (error instanceof PermanentDeliveryError) return { kind: 'permanent', reason: error.reason };
  if (error instanceof TransientDeliveryError) {
    return { kind: 'transient', reason: error.reason, retryAfterMs: error.retryAfterMs };
  }
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  return { kind: 'transient', reason: reason.slice(0, 500), retryAfterMs: null };
}

/** Maps an HTTP status to the outcome: 429 and 5xx transient, other 4xx permanent. */
export function httpStatusFailure(
  channel: ExternalChannel,
  status: number,
  retryAfterHeader: string | null,
  nowMs: number,
): DeliveryError {
  const reason = `provider answered HTTP ${status}`;
  if (status === 429 || status >= 500) {
    return new TransientDeliveryError(channel, reason, parseRetryAfter(retryAfterHeader, nowMs));
  }
  return new PermanentDeliveryError(channel, reason);
}

/** Retry-After as delta-seconds or an HTTP date; a hint only (null when absent or unparsable). */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
