import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { automationMetadata, type Clock, CLOCK, isRejection } from '@projectflo/platform/core';
import { type MessageOutcome, PoisonMessageError } from '@projectflo/platform/messaging';
import { ConsumerFactory } from '@projectflo/platform/service';
import { tasksExternalEventsInboundV1 } from '@projectflo/contracts';
import { EXTERNAL_EVENTS_INBOUND_TOPIC_PREFIX, inboundTopicTenant, isJsonObject, type JsonObject } from '@projectflo/task-engine/domain';
import { TASK_ENGINE_SERVICE } from '../shared/task-engine.constants';
import { ExternalEventCommands, inboundRequestId } from './external-events.commands';

/**
 * A valid inbound message of the topic's tenant, or PoisonMessageError with the reason it can
 * never be ingested. The tenant is the topic's (`<inbound>.<tenantId>`, which only that tenant's
 * Kafka user may write): a message whose body names another tenant is refused.
 */
export function parseInboundMessage(topic: string, value: Buffer | null): tasksExternalEventsInboundV1.ExternalEventInboundMessagePayloadV1 & { payload: JsonObject } {
  const tenantId = inboundTopicTenant(topic);
  if (tenantId === undefined) throw new PoisonMessageError('unknown-topic', `${topic} is not a tenant's inbound topic`);
  if (!value) throw new PoisonMessageError('missing-value', 'the message has no value');
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    throw new PoisonMessageError('invalid-json', error instanceof Error ? error.message : String(error));
  }
  const parsed = tasksExternalEventsInboundV1.ExternalEventInboundMessageV1.safeParse(json);
  if (!parsed.success) {
    throw new PoisonMessageError('invalid-payload', parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  const message = parsed.data;
  if (message.tenantId !== tenantId) throw new PoisonMessageError('tenant-mismatch', `a message on tenant ${tenantId}'s inbound topic names tenant ${message.tenantId}`);
  if (!isJsonObject(message.payload)) throw new PoisonMessageError('invalid-payload', 'payload must be a JSON object');
  return { ...message, payload: message.payload };
}

/**
 * Group `inbound-external-events` on every tenant's tasks.external-events.in.v1.<tenantId>, where
 * systems outside ProjectFlo publish plain JSON, each with its tenant's Kafka credentials (no CloudEvents envelope: the factory's raw-message consumer, the
 * same engine without EventConsumer's decoding and inbox). Each valid message becomes IngestExternalEvent, idempotent by (tenant,
 * idempotency key), so a redelivered or redriven message is a no-op. A message that can never be
 * ingested (bad JSON or schema, another tenant named in the body, unknown event type, same key with other content) is dead-lettered
 * with the reason; an outage is waited out; any other failure is retried a bounded number of times.
 */
@Injectable()
export class InboundExternalEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly commands: ExternalEventCommands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // A tenant's topic is created when its inbound credentials are provisioned (scripts/kafka-inbound-tenant.ts).
    this.consumers.messages('inbound-external-events', [{ prefix: EXTERNAL_EVENTS_INBOUND_TOPIC_PREFIX }], (message, context) =>
      this.ingest(context.topic, message.value),
    );
  }

  private async ingest(topic: string, value: Buffer | null): Promise<MessageOutcome> {
    const m = parseInboundMessage(topic, value);
    try {
      const { duplicate } = await this.commands.ingest(
        {
          metadata: automationMetadata({
            service: TASK_ENGINE_SERVICE,
            tenantId: m.tenantId,
            requestId: inboundRequestId(m.tenantId, m.idempotencyKey),
            now: this.clock.now(),
            cause: { automationDepth: m.automationDepth },
            // The producer is who its credentials say: the tenant's inbound user. A message cannot
            // name another actor (it would forge the audit trail).
            actorId: inboundActor(m.tenantId),
          }),
        },
        { eventType: m.eventTypeKey, subjectId: m.subjectId, payload: m.payload, occurredAt: m.occurredAt, idempotencyKey: m.idempotencyKey },
      );
      return duplicate ? 'duplicate' : 'processed';
    } catch (error) {
      if (isRejection(error)) throw new PoisonMessageError('rejected-command', `${error.code}: ${error.message}`);
      throw error;
    }
  }
}

/** The actor recorded for what a tenant's inbound producer sends: bound to its credentials, never taken from the message. */
export function inboundActor(tenantId: string): string {
  return `inbound:${tenantId}`;
}
