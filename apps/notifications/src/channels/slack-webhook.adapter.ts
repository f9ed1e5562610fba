import type { Clock } from '@projectflo/platform/core';
import { type ChannelAdapter, type OutboundMessage, PermanentDeliveryError } from './channel-adapter';
import type { ChannelCredentialsSource, ChannelEndpoints } from './channel-credentials';
import { postToProvider } from './http-provider';

/**
 * Slack through the tenant's incoming webhook (a secret URL, from its channel settings only: a
 * rule cannot point a message at an arbitrary URL). The body is Slack's `{ text, blocks }`; the
 * delivery id goes as `Idempotency-Key` header and in a context block, since incoming webhooks
 * themselves do not deduplicate (the delivery workflow's once-per-delivery-id is what does).
 * Slack answers 200 "ok"; 400/403/404/410 (invalid_payload, no_service, channel archived, ...) are
 * permanent, 429 and 5xx transient.
 */
export class SlackWebhookAdapter implements ChannelAdapter {
  readonly channel = 'slack' as const;

  constructor(
    private readonly credentials: ChannelCredentialsSource,
    private readonly endpoints: Pick<ChannelEndpoints, 'timeoutMs'>,
    private readonly clock: Clock,
  ) {}

  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    const { slack } = await this.credentials.forTenant(message.tenantId);
    if (slack === null) throw new PermanentDeliveryError('slack', 'no Slack webhook is configured for the tenant');
    const text = message.subject ? `*${message.subject}*\n${message.text}` : message.text;
    await postToProvider(
      'slack',
      {
        url: slack.webhookUrl.reveal(),
        headers: { 'content-type': 'application/json', 'idempotency-key': message.deliveryId },
        body: JSON.stringify({
          text,
          blocks: [
            { type: 'section', text: { type: 'mrkdwn', text } },
            { type: 'context', elements: [{ type: 'plain_text', text: `delivery ${message.deliveryId}` }] },
          ],
        }),
        timeoutMs: this.endpoints.timeoutMs,
      },
      this.clock,
    );
    return { providerMessageId: message.deliveryId };
  }
}
