import type { KafkaMessage } from 'kafkajs';
import type { ZodType, ZodTypeDef } from 'zod';
import type { DomainEvent } from '@projectflo/platform/core';
import { EventEnvelope, decodeEvent } from './cloud-events';
import { claimInboxEntry, ensureInbox, type InboxEntry, recordDeadLetteredEntry } from './inbox';
import { type ConsumerMetrics, type MessageConsumerOptions, type MessageContext, type MessageOutcome, MessageConsumer } from './message-consumer';
import { PoisonMessageError } from './poison-message.error';
import type { Tx, UnitOfWork } from './unit-of-work';

export type EventHandler<E extends DomainEvent, T extends Tx = Tx> = (event: EventEnvelope<E>, tx: T, context: MessageContext) => Promise<void>;

export interface HandlerOptions<Data> {
  /** Validates (and may transform) the payload; the handler gets what it returns. A mismatch is poison, not a retry. */
  readonly schema?: ZodType<Data, ZodTypeDef, unknown>;
  /**
   * Checks the payload against a published contract without changing it: the handler gets the
   * payload as recorded (a service's own events may carry more than the contract publishes). A
   * mismatch is poison.
   */
  readonly contract?: ZodType<unknown, ZodTypeDef, unknown>;
  /** Payload schema versions this handler understands; any other is poison. */
  readonly schemaVersions?: readonly number[];
}

/** What a consumer checks of one event type before its handler runs (HandlerOptions without a transforming schema). */
export type EventChecks = Pick<HandlerOptions<unknown>, 'contract' | 'schemaVersions'>;

export interface EventConsumerOptions<T extends Tx = Tx> extends MessageConsumerOptions {
  readonly unitOfWork: UnitOfWork<T>;
  /** Postgres schema holding this service's `inbox` table. */
  readonly schema: string;
  /** Dead-letter events of types that have no handler, instead of ignoring them. */
  readonly strict?: boolean;
}

type AnyHandler<T extends Tx> = (event: EventEnvelope, tx: T, context: MessageContext) => Promise<void>;

interface Registration<T extends Tx> extends EventChecks {
  readonly handler: AnyHandler<T>;
  readonly schema?: ZodType<unknown, ZodTypeDef, unknown>;
}

/**
 * A consumer of CloudEvents-encoded domain events with at-least-once delivery and exactly-once
 * effects, on the one consumer engine (MessageConsumer: ordered partitions, outages waited out,
 * failures retried a bounded number of times, then dead-lettered):
 * - each event's handler runs in ONE transaction that first claims (group, event id) in the
 *   inbox, so a redelivery, a rebalance, a replay from offset 0 or a redriven dead letter finds
 *   the claim and skips; a failed attempt rolls back with its claim;
 * - a poison message (undecodable, payload against its schema, unsupported schema version,
 *   unknown type when strict) goes to `<groupId>.dlq` at once, with the reason;
 * - a dead-lettered event is also noted in the inbox's `inbox_dead_letters` (for consistency tokens).
 */
export class EventConsumer<E extends DomainEvent = DomainEvent, T extends Tx = Tx> {
  private readonly handlers = new Map<string, Registration<T>>();
  private readonly engine: MessageConsumer;

  constructor(private readonly options: EventConsumerOptions<T>) {
    this.engine = new MessageConsumer(
      options,
      (message, context) => this.process(message, context),
      (messages, contexts) => this.processTogether(messages, contexts),
      (message, context, reason) => this.recordDeadLetter(message, context, reason),
    );
  }

  get groupId(): string {
    return this.engine.groupId;
  }

  get deadLetterTopic(): string {
    return this.engine.deadLetterTopic;
  }

  /** Whether this consumer reads `topic` and handles events of `type` (so its inbox will hold them). */
  handles(topic: string, type: string): boolean {
    return this.handlers.has(type) && this.options.topics.some((selector) => (typeof selector === 'string' ? selector === topic : topic.startsWith(selector.prefix)));
  }

  on<K extends E['type']>(type: K, handler: EventHandler<Extract<E, { type: K }>, T>, options: HandlerOptions<Extract<E, { type: K }>['data']> = {}): this {
    if (this.engine.started) throw new Error('register handlers before start()');
    if (this.handlers.has(type)) throw new Error(`a handler for ${type} is already registered`);
    this.handlers.set(type, {
      // The registry is keyed by type, so the event reaching this handler has exactly this type.
      handler: handler as unknown as AnyHandler<T>,
      schema: options.schema,
      contract: options.contract,
      schemaVersions: options.schemaVersions,
    });
    return this;
  }

  async start(): Promise<void> {
    if (this.handlers.size === 0) throw new Error('register at least one handler before start()');
    await this.options.unitOfWork.transactional((tx) => ensureInbox(tx, this.options.schema));
    await this.engine.start();
  }

  /** Resolves once this member has joined its group (partitions assigned). */
  ready(): Promise<void> {
    return this.engine.ready();
  }

  /** Finishes the message in hand (or abandons its retry), commits resolved offsets and leaves the group. */
  stop(): Promise<void> {
    return this.engine.stop();
  }

  metrics(): ConsumerMetrics {
    return this.engine.metrics();
  }

  private async process(message: KafkaMessage, context: MessageContext): Promise<MessageOutcome> {
    const prepared = this.prepare(message);
    if (prepared === undefined) return 'ignored';
    return this.options.unitOfWork.transactional((tx) => this.handle(prepared, tx, context));
  }

  /**
   * Consecutive messages of one partition in ONE transaction (fewer commits and round trips when a
   * burst arrives): each claims its inbox row and runs its handler in order, the transaction's
   * pending writes flushed between them so each handler sees the ones before. A poison message or
   * a failing handler fails them all, rolled back; the engine then handles them one by one.
   */
  private async processTogether(messages: readonly KafkaMessage[], contexts: readonly MessageContext[]): Promise<MessageOutcome[]> {
    const prepared = messages.map((message) => this.prepare(message));
    if (prepared.every((p) => p === undefined)) return prepared.map(() => 'ignored');
    return this.options.unitOfWork.transactional(async (tx) => {
      const outcomes: MessageOutcome[] = [];
      for (const [index, event] of prepared.entries()) {
        if (event === undefined) {
          outcomes.push('ignored');
          continue;
        }
        outcomes.push(await this.handle(event, tx, contexts[index]!));
        await tx.flush?.();
      }
      return outcomes;
    });
  }

  /**
   * Notes a dead-lettered event in the inbox's dead-letter table, so that a consistency token
   * waiting for it answers at once (consistency-wait.ts). A message without a decodable event id
   * names nothing a token could name.
   */
  private async recordDeadLetter(message: KafkaMessage, context: MessageContext, reason: string): Promise<void> {
    let event: EventEnvelope;
    try {
      event = decodeEvent(message);
    } catch {
      return;
    }
    await this.options.unitOfWork.transactional((tx) => recordDeadLetteredEntry(tx, this.options.schema, { ...this.inboxEntry(event, context), reason }));
  }

  /** This group's inbox key and position of an event. */
  private inboxEntry(event: EventEnvelope, context: MessageContext): InboxEntry {
    return {
      consumerGroup: this.options.groupId,
      eventId: event.eventId,
      eventType: event.type,
      topic: context.topic,
      partition: context.partition,
      offset: context.offset,
    };
  }

  /** The decoded, checked event and its registration; undefined for a type without a handler (not strict). Throws poison. */
  private prepare(message: KafkaMessage): { event: EventEnvelope; registration: Registration<T> } | undefined {
    const decoded = decodeEvent(message);
    const registration = this.handlers.get(decoded.type);
    if (!registration) {
      if (this.options.strict) throw new PoisonMessageError('unknown-event-type', `no handler for event type ${decoded.type}`);
      return undefined;
    }
    if (registration.schemaVersions && !registration.schemaVersions.includes(decoded.schemaVersion)) {
      throw new PoisonMessageError(
        'unsupported-schema-version',
        `${decoded.type} schema version ${decoded.schemaVersion} is not one of ${registration.schemaVersions.join(', ')}`,
      );
    }
    if (registration.contract) validPayload(decoded, registration.contract);
    const event = registration.schema ? { ...decoded, data: validPayload(decoded, registration.schema) } : decoded;
    return { event, registration };
  }

  /** Claims the event in the inbox and runs its handler, in `tx`. */
  private async handle({ event, registration }: { event: EventEnvelope; registration: Registration<T> }, tx: T, context: MessageContext): Promise<MessageOutcome> {
    const claimed = await claimInboxEntry(tx, this.options.schema, this.inboxEntry(event, context));
    if (!claimed) return 'duplicate';
    await registration.handler(event, tx, context);
    return 'processed';
  }
}

function validPayload<Data>(event: EventEnvelope, schema: ZodType<Data, ZodTypeDef, unknown>): Data {
  const parsed = schema.safeParse(event.data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new PoisonMessageError('invalid-payload', `${event.type} payload at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
