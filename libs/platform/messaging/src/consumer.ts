import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { ZodType, ZodTypeDef } from 'zod';
import { type Clock, type DomainEvent, systemClock } from '@projectflo/platform/core';
import { BackoffOptions, DEFAULT_BACKOFF, InterruptibleSleep, backoffDelay } from './backoff';
import { EventEnvelope, decodeEvent } from './cloud-events';
import { claimInboxEntry, ensureInbox } from './inbox';
import { MessagingLogger, errorFields, silentLogger } from './logger';
import { PoisonMessageError } from './poison-message.error';
import { deadLetterTopic, ensureTopics, withAdmin } from './topics';
import type { Tx, UnitOfWork } from './unit-of-work';

/** Where a message came from, for handlers that log or store it. */
export interface MessageContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly groupId: string;
}

export type EventHandler<E extends DomainEvent, T extends Tx = Tx> = (event: EventEnvelope<E>, tx: T, context: MessageContext) => Promise<void>;

export interface HandlerOptions<Data> {
  /** Validates (and may transform) the payload; a mismatch is poison, not a retry. */
  readonly schema?: ZodType<Data, ZodTypeDef, unknown>;
  /** Payload schema versions this handler understands; any other is poison. */
  readonly schemaVersions?: readonly number[];
}

export interface EventConsumerOptions<T extends Tx = Tx> {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly unitOfWork: UnitOfWork<T>;
  /** Postgres schema holding this service's `inbox` table. */
  readonly schema: string;
  readonly logger?: MessagingLogger;
  /** Dead-letter events of types that have no handler, instead of ignoring them. */
  readonly strict?: boolean;
  /** A group without committed offsets starts at the beginning of each topic (default true). */
  readonly fromBeginning?: boolean;
  /** Backoff between retries of a message whose handler failed transiently. */
  readonly retry?: BackoffOptions;
  /** Defaults to `<groupId>.dlq`. */
  readonly deadLetterTopic?: string;
  /** Create the dead-letter topic at start when missing (default true). */
  readonly createDeadLetterTopic?: boolean;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Stamps `x-dlq-failed-at`. */
  readonly clock?: Clock;
}

export interface ConsumerMetrics {
  readonly processed: number;
  readonly duplicates: number;
  readonly ignored: number;
  readonly deadLettered: number;
  readonly transientFailures: number;
  /** Failures of the message currently being retried; 0 when healthy. */
  readonly consecutiveFailures: number;
  readonly lastError?: string;
}

export const DLQ_HEADERS = {
  reason: 'x-dlq-reason',
  originalTopic: 'x-dlq-original-topic',
  originalPartition: 'x-dlq-original-partition',
  originalOffset: 'x-dlq-original-offset',
  consumerGroup: 'x-dlq-consumer-group',
  failedAt: 'x-dlq-failed-at',
} as const;

type AnyHandler<T extends Tx> = (event: EventEnvelope, tx: T, context: MessageContext) => Promise<void>;

interface Registration<T extends Tx> {
  readonly handler: AnyHandler<T>;
  readonly schema?: ZodType<unknown, ZodTypeDef, unknown>;
  readonly schemaVersions?: readonly number[];
}

type Outcome = 'processed' | 'duplicate' | 'ignored';

/**
 * A Kafka consumer group with at-least-once delivery and exactly-once effects:
 * - each event's handler runs in ONE transaction that first claims (group, event id) in the
 *   inbox, so a redelivery, a rebalance or a replay from offset 0 finds the claim and skips;
 * - an offset is resolved only after its transaction committed (or its poison message reached
 *   the dead-letter topic); a transient failure (Postgres down, a bug) is retried with backoff
 *   on the same message, never skipped, so nothing is dropped;
 * - a poison message (undecodable, bad payload, unsupported schema version, unknown type when
 *   strict) goes to `<groupId>.dlq` with the reason and the original coordinates.
 */
export class EventConsumer<E extends DomainEvent = DomainEvent, T extends Tx = Tx> {
  private readonly handlers = new Map<string, Registration<T>>();
  private readonly logger: MessagingLogger;
  private readonly retry: BackoffOptions;
  private readonly dlqTopic: string;
  private readonly heartbeatIntervalMs: number;
  private readonly sleeper = new InterruptibleSleep();
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private stopping = false;
  private joined: Promise<void> | undefined;
  private counters = { processed: 0, duplicates: 0, ignored: 0, deadLettered: 0, transientFailures: 0, consecutiveFailures: 0 };
  private lastError: string | undefined;

  constructor(private readonly options: EventConsumerOptions<T>) {
    this.logger = options.logger ?? silentLogger;
    this.retry = options.retry ?? DEFAULT_BACKOFF;
    this.dlqTopic = options.deadLetterTopic ?? deadLetterTopic(options.groupId);
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3_000;
  }

  get groupId(): string {
    return this.options.groupId;
  }

  get deadLetterTopic(): string {
    return this.dlqTopic;
  }

  on<K extends E['type']>(type: K, handler: EventHandler<Extract<E, { type: K }>, T>, options: HandlerOptions<Extract<E, { type: K }>['data']> = {}): this {
    if (this.consumer) throw new Error('register handlers before start()');
    if (this.handlers.has(type)) throw new Error(`a handler for ${type} is already registered`);
    this.handlers.set(type, {
      // The registry is keyed by type, so the event reaching this handler has exactly this type.
      handler: handler as unknown as AnyHandler<T>,
      schema: options.schema,
      schemaVersions: options.schemaVersions,
    });
    return this;
  }

  async start(): Promise<void> {
    if (this.consumer) throw new Error('the consumer was already started');
    if (this.handlers.size === 0) throw new Error('register at least one handler before start()');
    const { kafka, groupId, topics } = this.options;

    await this.options.unitOfWork.transactional((tx) => ensureInbox(tx, this.options.schema));
    if (this.options.createDeadLetterTopic ?? true) await withAdmin(kafka, (admin) => ensureTopics(admin, [this.dlqTopic]));

    this.producer = kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();

    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.heartbeatIntervalMs,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    this.joined = new Promise((resolve) => {
      const remove = consumer.on(consumer.events.GROUP_JOIN, () => {
        remove();
        resolve();
      });
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.logger.error('kafka consumer crashed; kafkajs restarts it', { groupId, ...errorFields(event.payload.error), restart: event.payload.restart });
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({ eachBatchAutoResolve: false, autoCommit: true, eachBatch: (payload) => this.handleBatch(payload) });
    this.logger.info('event consumer started', { groupId, topics, deadLetterTopic: this.dlqTopic });
  }

  /** Resolves once this member has joined its group (partitions assigned). */
  async ready(): Promise<void> {
    if (!this.joined) throw new Error('start() the consumer first');
    await this.joined;
  }

  /** Finishes the message in hand (or abandons its retry), commits resolved offsets and leaves the group. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.sleeper.interruptAll();
    try {
      await this.consumer?.disconnect();
    } finally {
      await this.producer?.disconnect();
      this.logger.info('event consumer stopped', { groupId: this.options.groupId });
    }
  }

  metrics(): ConsumerMetrics {
    return { ...this.counters, lastError: this.lastError };
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    for (const message of batch.messages) {
      if (this.stopping || !isRunning() || isStale()) return;
      const done = await this.processWithRetry(batch.topic, batch.partition, message, payload);
      // Unresolved offsets are neither committed nor skipped: the next fetch starts here again.
      if (!done) return;
      resolveOffset(message.offset);
      await payload.commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /** True once the message is handled or dead-lettered; false when the retry was abandoned (stop, rebalance). */
  private async processWithRetry(topic: string, partition: number, message: KafkaMessage, payload: EachBatchPayload): Promise<boolean> {
    const context: MessageContext = { topic, partition, offset: message.offset, groupId: this.options.groupId };
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.process(message, context);
        this.counters[outcome === 'processed' ? 'processed' : outcome === 'duplicate' ? 'duplicates' : 'ignored']++;
        this.counters.consecutiveFailures = 0;
        return true;
      } catch (error) {
        if (error instanceof PoisonMessageError) {
          try {
            await this.deadLetter(message, context, error);
            this.counters.deadLettered++;
            this.counters.consecutiveFailures = 0;
            return true;
          } catch (dlqError) {
            this.noteFailure('dead-letter publish failed; retrying', context, attempt, dlqError);
          }
        } else {
          this.noteFailure('event handling failed; retrying the same message', context, attempt, error);
        }
      }
      const resumed = await this.backoff(attempt, payload);
      if (!resumed) return false;
    }
  }

  private noteFailure(message: string, context: MessageContext, attempt: number, error: unknown): void {
    this.counters.transientFailures++;
    this.counters.consecutiveFailures = attempt;
    this.lastError = error instanceof Error ? error.message : String(error);
    this.logger.warn(message, { ...context, attempt, ...errorFields(error) });
  }

  /** Waits out the backoff while keeping the group session alive; false if we should let go of the message. */
  private async backoff(attempt: number, payload: EachBatchPayload): Promise<boolean> {
    let remaining = backoffDelay(attempt, this.retry);
    while (remaining > 0) {
      if (this.stopping || !payload.isRunning() || payload.isStale()) return false;
      const slice = Math.min(remaining, this.heartbeatIntervalMs);
      await this.sleeper.sleep(slice);
      remaining -= slice;
      // Throws on a rebalance; kafkajs then commits what was resolved and rejoins.
      await payload.heartbeat();
    }
    return !(this.stopping || !payload.isRunning() || payload.isStale());
  }

  private async process(message: KafkaMessage, context: MessageContext): Promise<Outcome> {
    const decoded = decodeEvent(message);
    const registration = this.handlers.get(decoded.type);
    if (!registration) {
      if (this.options.strict) throw new PoisonMessageError('unknown-event-type', `no handler for event type ${decoded.type}`);
      this.logger.debug('ignoring an event type without a handler', { ...context, eventType: decoded.type, eventId: decoded.eventId });
      return 'ignored';
    }
    if (registration.schemaVersions && !registration.schemaVersions.includes(decoded.schemaVersion)) {
      throw new PoisonMessageError(
        'unsupported-schema-version',
        `${decoded.type} schema version ${decoded.schemaVersion} is not one of ${registration.schemaVersions.join(', ')}`,
      );
    }
    let event = decoded;
    if (registration.schema) {
      const parsed = registration.schema.safeParse(decoded.data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new PoisonMessageError('invalid-payload', `${decoded.type} payload at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      }
      event = { ...decoded, data: parsed.data };
    }
    return this.options.unitOfWork.transactional(async (tx) => {
      const claimed = await claimInboxEntry(tx, this.options.schema, {
        consumerGroup: this.options.groupId,
        eventId: event.eventId,
        eventType: event.type,
        topic: context.topic,
        partition: context.partition,
        offset: context.offset,
      });
      if (!claimed) {
        this.logger.debug('skipping an event this group already processed', { ...context, eventId: event.eventId });
        return 'duplicate';
      }
      await registration.handler(event, tx, context);
      return 'processed';
    });
  }

  private async deadLetter(message: KafkaMessage, context: MessageContext, error: PoisonMessageError): Promise<void> {
    if (!this.producer) throw new Error('the consumer is not started');
    const headers: IHeaders = {
      ...(message.headers ?? {}),
      [DLQ_HEADERS.reason]: error.reason,
      [DLQ_HEADERS.originalTopic]: context.topic,
      [DLQ_HEADERS.originalPartition]: String(context.partition),
      [DLQ_HEADERS.originalOffset]: context.offset,
      [DLQ_HEADERS.consumerGroup]: context.groupId,
      [DLQ_HEADERS.failedAt]: (this.options.clock ?? systemClock).now().toISOString(),
    };
    await this.producer.send({ topic: this.dlqTopic, acks: -1, messages: [{ key: message.key, value: message.value, headers }] });
    this.logger.warn('poison message dead-lettered', { ...context, deadLetterTopic: this.dlqTopic, reason: error.reason });
  }
}
