import type { Clock } from '@projectflo/platform/core';
import { type ChannelAdapter, type OutboundMessage, PermanentDeliveryError } from './channel-adapter';
import type { ChannelCredentialsSource, ChannelEndpoints } from './channel-credentials';
import { postToProvider } from './http-provider';

/** E.164: a plus and up to 15 digits, the first not zero. */
export const E164 = /^\+[1-9]\d{6,14}$/;

/** An SMS body is cut at this many code points (10 concatenated segments of 160). */
export const SMS_MAX_CHARS = 1600;

/**
 * SMS through a provider's HTTP API, Twilio-shaped (SMS_API_URL, the tenant's API key and sender
 * from its channel settings):
 *
 *   POST {SMS_API_URL}/messages
 *   Authorization: Bearer <api key>
 *   Idempotency-Key: <delivery id>        (the provider sends one message per key)
 *   Content-Type: application/x-www-form-urlencoded
 *   To=<E.164>&From=<sender>&Body=<text>
 *
 *   201/200 {"sid": "<provider message id>"}; 429 and 5xx are transient (Retry-After honoured as a
 *   hint); 400 (bad number), 401/403 (key refused) and every other 4xx are permanent.
 *
 * A recipient that is not E.164 is permanent before any call (so a rule's SMS-to-email fallback
 * applies at once).
 */
export class SmsHttpAdapter implements ChannelAdapter {
  readonly channel = 'sms' as const;

  constructor(
    private readonly credentials: ChannelCredentialsSource,
    private readonly endpoints: Pick<ChannelEndpoints, 'smsApiUrl' | 'timeoutMs'>,
    private readonly clock: Clock,
  ) {}

  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    if (!E164.test(message.to)) throw new PermanentDeliveryError('sms', 'the recipient has no E.164 phone number');
    const { sms } = await this.credentials.forTenant(message.tenantId);
    if (sms === null) throw new PermanentDeliveryError('sms', 'no SMS provider is configured for the tenant');
    const text = [...(message.subject ? `${message.subject}: ${message.text}` : message.text)].slice(0, SMS_MAX_CHARS).join('');
    const { body } = await postToProvider(
      'sms',
      {
        url: `${this.endpoints.smsApiUrl.replace(/\/+$/, '')}/messages`,
        headers: {
          authorization: `Bearer ${sms.apiKey.reveal()}`,
          'idempotency-key': message.deliveryId,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ To: message.to, From: sms.sender, Body: text }).toString(),
        timeoutMs: this.endpoints.timeoutMs,
      },
      this.clock,
    );
    return { providerMessageId: providerSid(body) ?? message.deliveryId };
  }
}

function providerSid(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { sid?: unknown };
    return typeof parsed.sid === 'string' && parsed.sid.length > 0 && parsed.sid.length <= 200 ? parsed.sid : null;
  } catch {
    return null;
  }
}
