import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type Clock, DomainError, VersionConflictError } from '@projectflo/platform/core';
import { CLOCK } from '@projectflo/platform/grpc';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  deadLetterTopic,
  DLQ_HEADERS,
  ensureTopics,
  errorFields,
  InterruptibleSleep,
  withAdmin,
} from '@projectflo/platform/messaging';
import { consumerGroup, type EventSourcedServiceOptions, KAFKA, SERVICE_OPTIONS, ServiceHost } from '@projectflo/platform/service';
import {
  EXTERNAL_EVENTS_INBOUND_TOPIC,
  externalEventInboundMessageV1,
  isJsonObject,
  type ExternalEventInboundMessageV1,
} from '@projectflo/task-engine/domain';
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { SYSTEM_ACTOR } from '../shared/task-engine.constants';
import { ExternalEventCommands, inboundRequestId } from './external-events.commands';

type Parsed = { ok: true; message: ExternalEventInboundMessageV1 } | { ok: false; reason: string };

export function parseInboundMessage(value: Buffer | null): Parsed {
  if (!value) return { ok: false, reason: 'missing-value: the message has no value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `invalid-json: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = externalEventInboundMessageV1.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: `invalid-payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  }
  return { ok: true, message: parsed.data };
}

/**
 * Group `inbound-external-events` on tasks.external-events.in.v1, where systems outside
 * ProjectFlo publish plain JSON (no CloudEvents envelope, so not an EventConsumer). Each valid
 * message becomes IngestExternalEvent — idempotent by (tenant, idempotency key), so redelivery
 * needs no inbox. A message that can never be ingested (bad JSON or schema, unknown event type,
 * same key with other content) goes to the group's dead-letter topic with the reason; anything
 * else is retried on the same message with backoff, never skipped.
 */
@Injectable()
export class InboundExternalEventsConsumer implements OnModuleInit {
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private stopping = false;
  private readonly sleeper = new InterruptibleSleep();
  readonly groupId: string;

  constructor(
    private readonly host: ServiceHost,
    private readonly commands: ExternalEventCommands,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(SERVICE_OPTIONS) options: EventSourcedServiceOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.groupId = consumerGroup(options, 'inbound-external-events');
  }

  onModuleInit(): void {
    this.host.addConsumer(this);
  }

  async start(): Promise<void> {
    const dlq = deadLetterTopic(this.groupId);
    await withAdmin(this.kafka, (admin) => ensureTopics(admin, [EXTERNAL_EVENTS_INBOUND_TOPIC, dlq]));
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [EXTERNAL_EVENTS_INBOUND_TOPIC], fromBeginning: true });
    await this.consumer.run({ eachMessage: (payload) => this.handle(payload, dlq) });
    this.logger.info('inbound external event consumer started', { groupId: this.groupId });
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.sleeper.interruptAll();
    try {
      await this.consumer?.disconnect();
    } finally {
      await this.producer?.disconnect();
    }
  }

  private async handle({ topic, partition, message, heartbeat }: EachMessagePayload, dlq: string): Promise<void> {
    const where = { topic, partition, offset: message.offset, groupId: this.groupId };
    for (let attempt = 1; ; attempt++) {
      if (this.stopping) throw new Error('stopping: the message will be redelivered');
      try {
        const reason = await this.process(message.value);
        if (reason !== undefined) {
          await this.producer!.send({
            topic: dlq,
            acks: -1,
            messages: [
              {
                key: message.key,
                value: message.value,
                headers: {
                  ...(message.headers ?? {}),
                  [DLQ_HEADERS.reason]: reason,
                  [DLQ_HEADERS.originalTopic]: topic,
                  [DLQ_HEADERS.originalPartition]: String(partition),
                  [DLQ_HEADERS.originalOffset]: message.offset,
                  [DLQ_HEADERS.consumerGroup]: this.groupId,
                  [DLQ_HEADERS.failedAt]: this.clock.now().toISOString(),
                },
              },
            ],
          });
          this.logger.warn('inbound external event dead-lettered', { ...where, reason });
        }
        return;
      } catch (error) {
        this.logger.warn('inbound external event failed; retrying the same message', { ...where, attempt, ...errorFields(error) });
        await this.sleeper.sleep(backoffDelay(attempt, DEFAULT_BACKOFF));
        await heartbeat();
      }
    }
  }

  /** undefined when ingested (or already ingested); otherwise why the message can never be. */
  private async process(value: Buffer | null): Promise<string | undefined> {
    const parsed = parseInboundMessage(value);
    if (!parsed.ok) return parsed.reason;
    const m = parsed.message;
    if (!isJsonObject(m.payload)) return 'invalid-payload: payload must be a JSON object';
    const payload = m.payload;
    try {
      await this.commands.ingest(
        {
          tenantId: m.tenantId,
          actorId: m.actorId ?? SYSTEM_ACTOR,
          requestId: inboundRequestId(m.tenantId, m.idempotencyKey),
          now: this.clock.now(),
          ...(m.automationDepth !== undefined ? { automationDepth: m.automationDepth } : {}),
        },
        { eventTypeKey: m.eventTypeKey, subjectId: m.subjectId, payload, occurredAt: m.occurredAt, idempotencyKey: m.idempotencyKey },
      );
      return undefined;
    } catch (error) {
      if (error instanceof DomainError && !(error instanceof VersionConflictError)) return `rejected-command: ${error.code}: ${error.message}`;
      throw error;
    }
  }
}
