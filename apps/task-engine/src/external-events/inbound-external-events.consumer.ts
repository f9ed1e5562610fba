import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { automationMetadata, type Clock, CLOCK, isRejection } from '@projectflo/platform/core';
import { type MessageOutcome, PoisonMessageError } from '@projectflo/platform/messaging';
import { ConsumerFactory } from '@projectflo/platform/service';
import { tasksExternalEventsInboundV1 } from '@projectflo/contracts';
import { EXTERNAL_EVENTS_INBOUND_TOPIC, isJsonObject, type JsonObject } from '@projectflo/task-engine/domain';
import { TASK_ENGINE_SERVICE } from '../shared/task-engine.constants';
import { ExternalEventCommands, inboundRequestId } from './external-events.commands';

/** A valid inbound message, or PoisonMessageError with the reason it can never be ingested. */
export function parseInboundMessage(value: Buffer | null): tasksExternalEventsInboundV1.ExternalEventInboundMessagePayloadV1 & { payload: JsonObject } {
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
  if (!isJsonObject(message.payload)) throw new PoisonMessageError('invalid-payload', 'payload must be a JSON object');
  return { ...message, payload: message.payload };
}

/**
 * Group `inbound-external-events` on tasks.external-events.in.v1, where systems outside
 * ProjectFlo publish plain JSON (no CloudEvents envelope: the factory's raw-message consumer, the
 * same engine without EventConsumer's decoding and inbox). Each valid message becomes IngestExternalEvent, idempotent by (tenant,
 * idempotency key), so a redelivered or redriven message is a no-op. A message that can never be
 * ingested (bad JSON or schema, unknown event type, same key with other content) is dead-lettered
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
    // The topic is among the service's extraTopics, which the host creates before any consumer starts.
    this.consumers.messages('inbound-external-events', [EXTERNAL_EVENTS_INBOUND_TOPIC], (message) => this.ingest(message.value));
  }

  private async ingest(value: Buffer | null): Promise<MessageOutcome> {
    const m = parseInboundMessage(value);
    try {
      const { duplicate } = await this.commands.ingest(
        {
          metadata: automationMetadata({
            service: TASK_ENGINE_SERVICE,
            tenantId: m.tenantId,
            requestId: inboundRequestId(m.tenantId, m.idempotencyKey),
            now: this.clock.now(),
            cause: { automationDepth: m.automationDepth },
            actorId: m.actorId,
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
