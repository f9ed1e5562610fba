import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { type Clock, systemClock } from '@projectflo/platform/core';
import { BackoffOptions, DEFAULT_BACKOFF, InterruptibleSleep, backoffDelay } from './backoff';
import { DLQ_HEADERS, originalHeaders } from './dead-letter-headers';
import { classifyFailure, describeFailure, isBrokerAuthenticationFailure } from './failure-classification';
import { errorFields, type Logger, silentLogger } from '@projectflo/platform/logging';
import { PoisonMessageError } from './poison-message.error';
import { type TopicSelector, deadLetterTopic, ensureTopics, withAdmin } from './topics';

/** Where a message came from, for handlers that log or store it. */
export interface MessageContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly groupId: string;
}

export type MessageOutcome = 'processed' | 'duplicate' | 'ignored';

/**
 * Handles one message. Throw PoisonMessageError for a message that can never be handled; any
 * other error is classified by `classifyFailure` (an outage waits, anything else is retried
 * `maxAttempts` times and then dead-lettered).
 */
export type MessageProcessor = (message: KafkaMessage, context: MessageContext) => Promise<MessageOutcome>;

/**
 * Handles consecutive messages of one partition together, all or nothing (one transaction),
 * returning each one's outcome. Any failure is not counted against the messages: they are then
 * handled one at a time by the MessageProcessor, with its retries and dead letters.
 */
export type BatchProcessor = (messages: readonly KafkaMessage[], contexts: readonly MessageContext[]) => Promise<MessageOutcome[]>;

/** Told of each message once it is on the dead-letter topic, with the dead letter's reason (its failure is logged, never retried). */
export type DeadLetterListener = (message: KafkaMessage, context: MessageContext, reason: string) => Promise<void>;

/** Attempts at a message whose handler keeps failing (not counting outages) before it is dead-lettered. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** How long a consumer whose credentials the broker refused waits before it subscribes again. */
const RESUBSCRIBE_AFTER_AUTH_FAILURE_MS = 3_000;

export interface MessageConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly TopicSelector[];
  readonly logger?: Logger;
  /** A group without committed offsets starts at the beginning of each topic (default true). */
  readonly fromBeginning?: boolean;
  /** Backoff between attempts at a message whose handler failed. */
  readonly retry?: BackoffOptions;
  /** Failed attempts (outages excluded) before a message is dead-lettered (default 5). */
  readonly maxAttempts?: number;
  /** Defaults to `<groupId>.dlq`. */
  readonly deadLetterTopic?: string;
  /** Create the dead-letter topic at start when missing (default true). */
  readonly createDeadLetterTopic?: boolean;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** How often a consumer with a `{ prefix }` selector looks for new matching topics and resubscribes (default 10 s). */
  readonly topicRefreshMs?: number;
  /** Stamps `x-dlq-failed-at`. */
  readonly clock?: Clock;
  /** The most messages a BatchProcessor gets at once (default 64; 1 handles every message alone). */
  readonly batchSize?: number;
}

/** Messages handled together when the consumer has a BatchProcessor. */
export const DEFAULT_BATCH_SIZE = 64;

export interface ConsumerMetrics {
  readonly processed: number;
  readonly duplicates: number;
  readonly ignored: number;
  readonly deadLettered: number;
  /** Failed attempts during an outage (database, Temporal or Kafka unavailable): waited out, never dead-lettered. */
  readonly transientFailures: number;
  /** Other failed attempts, each counting toward its message's attempt budget. */
  readonly failures: number;
  /** Failed attempts at the message in hand, of either kind; 0 when healthy. */
  readonly consecutiveFailures: number;
  readonly lastError?: string;
}

/**
 * The one consumer engine: a Kafka consumer group that handles each partition's messages in
 * order, resolving an offset only once its message was handled or dead-lettered.
 * - An outage (see `classifyFailure`) is retried on the same message with backoff, without limit:
 *   the partition waits, nothing is skipped.
 * - A poison message goes to the dead-letter topic at once; any other failure after `maxAttempts`
 *   attempts. The dead letter keeps the original key, value and headers and adds `x-dlq-*`
 *   headers: reason, error class and code, attempts, original coordinates, group, time. Then the
 *   partition moves on; `scripts/dead-letters.ts` lists and redrives dead letters.
 */
export class MessageConsumer {
  private readonly logger: Logger;
  private readonly retry: BackoffOptions;
  private readonly maxAttempts: number;
  private readonly dlqTopic: string;
  private readonly heartbeatIntervalMs: number;
  private readonly sleeper = new InterruptibleSleep();
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private stopping = false;
  private joined: Promise<void> | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  /** The topics the prefix selectors matched when the consumer last subscribed. */
  private matched: string[] = [];
  private counters = { processed: 0, duplicates: 0, ignored: 0, deadLettered: 0, transientFailures: 0, failures: 0, consecutiveFailures: 0 };
  private lastError: string | undefined;

  private readonly batchSize: number;

  constructor(
    private readonly options: MessageConsumerOptions,
    private readonly process: MessageProcessor,
    private readonly processBatch?: BatchProcessor,
    private readonly onDeadLettered?: DeadLetterListener,
  ) {
    this.batchSize = processBatch ? (options.batchSize ?? DEFAULT_BATCH_SIZE) : 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${this.batchSize}`);
    this.logger = options.logger ?? silentLogger;
    this.retry = options.retry ?? DEFAULT_BACKOFF;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new Error(`maxAttempts must be a positive integer, got ${this.maxAttempts}`);
    this.dlqTopic = options.deadLetterTopic ?? deadLetterTopic(options.groupId);
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3_000;
  }

  get groupId(): string {
    return this.options.groupId;
  }

  get deadLetterTopic(): string {
    return this.dlqTopic;
  }

  get started(): boolean {
    return this.producer !== undefined;
  }

  async start(): Promise<void> {
    if (this.producer) throw new Error('the consumer was already started');
    const { kafka, groupId, topics } = this.options;
    // One partition: dead letters are rare, and one offset sequence is what an operator reads and redrives by.
    if (this.options.createDeadLetterTopic ?? true) await withAdmin(kafka, (admin) => ensureTopics(admin, [this.dlqTopic], { partitions: 1 }));

    this.producer = kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    await this.subscribeAndRun();
    if (this.prefixes().length > 0) this.watchTopics();
    this.logger.info('consumer started', { groupId, topics, deadLetterTopic: this.dlqTopic, maxAttempts: this.maxAttempts });
  }

  /**
   * A new kafkajs consumer in the group, subscribed to the named topics and those the prefixes
   * match now, and running; none while nothing matches (the topic watch starts one later).
   */
  private async subscribeAndRun(): Promise<void> {
    const { kafka, groupId } = this.options;
    if (this.prefixes().length > 0) this.matched = await this.matchingTopics();
    const topics = [...this.options.topics.filter((t): t is string => typeof t === 'string'), ...this.matched];
    if (topics.length === 0) {
      this.consumer = undefined;
      this.joined = Promise.resolve();
      return;
    }
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
      const { error, restart } = event.payload;
      if (!restart && isBrokerAuthenticationFailure(error)) {
        this.logger.error('the broker refused the consumer\'s credentials; subscribing again shortly', { groupId, ...errorFields(error) });
        this.subscribeAgainLater(consumer);
        return;
      }
      this.logger.error('kafka consumer crashed; kafkajs restarts it', { groupId, ...errorFields(error), restart });
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({ eachBatchAutoResolve: false, autoCommit: true, eachBatch: (payload) => this.handleBatch(payload) });
  }

  /**
   * After the broker refused this member's credentials (kafkajs does not restart from that): a new
   * member subscribes every few seconds until the broker takes the credentials again.
   */
  private subscribeAgainLater(crashed: Consumer): void {
    let failed = crashed;
    const retry = async (): Promise<void> => {
      if (this.stopping) return;
      try {
        await failed.disconnect().catch(() => undefined);
        await this.subscribeAndRun();
      } catch (error) {
        this.logger.warn('subscribing again failed; trying again shortly', { groupId: this.options.groupId, ...errorFields(error) });
        failed = this.consumer ?? failed;
        setTimeout(() => void retry(), RESUBSCRIBE_AFTER_AUTH_FAILURE_MS).unref();
      }
    };
    setTimeout(() => void retry(), RESUBSCRIBE_AFTER_AUTH_FAILURE_MS).unref();
  }

  private prefixes(): string[] {
    return this.options.topics.flatMap((t) => (typeof t === 'string' ? [] : [t.prefix]));
  }

  private async matchingTopics(): Promise<string[]> {
    const prefixes = this.prefixes();
    const all = await withAdmin(this.options.kafka, (admin) => admin.listTopics());
    return all.filter((t) => prefixes.some((p) => t.startsWith(p))).sort();
  }

  /**
   * A kafkajs subscription is fixed when it subscribes: a topic created later under a prefix (a
   * tenant's inbound topic provisioned while the service runs) is picked up by leaving the group
   * and subscribing again, which the next check here does.
   */
  private watchTopics(): void {
    const every = this.options.topicRefreshMs ?? 10_000;
    const check = async (): Promise<void> => {
      try {
        const now = await this.matchingTopics();
        if (now.join(',') !== this.matched.join(',') && !this.stopping) {
          this.logger.info('new topics match the subscription; subscribing again', { groupId: this.options.groupId, topics: now });
          await this.consumer?.disconnect();
          if (!this.stopping) await this.subscribeAndRun();
        }
      } catch (error) {
        this.logger.warn('looking for new topics of the subscription failed; trying again later', { groupId: this.options.groupId, ...errorFields(error) });
      } finally {
        if (!this.stopping) this.refreshTimer = setTimeout(() => void check(), every).unref();
      }
    };
    this.refreshTimer = setTimeout(() => void check(), every).unref();
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
    clearTimeout(this.refreshTimer);
    this.sleeper.interruptAll();
    try {
      await this.consumer?.disconnect();
    } finally {
      await this.producer?.disconnect();
      this.logger.info('consumer stopped', { groupId: this.options.groupId });
    }
  }

  metrics(): ConsumerMetrics {
    return { ...this.counters, lastError: this.lastError };
  }

  /**
   * A fetched batch in order: runs of up to `batchSize` messages together (BatchProcessor, one
   * transaction), a run that fails then one message at a time (retries, dead letters), so a
   * failing message never holds back or re-runs the ones before it.
   */
  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const messages = batch.messages;
    let alone = 0;
    for (let i = 0; i < messages.length; ) {
      if (this.stopping || !isRunning() || isStale()) return;
      const run = i >= alone && this.batchSize > 1 ? messages.slice(i, i + this.batchSize) : [];
      let handled = run.length > 1 && (await this.handleTogether(batch.topic, batch.partition, run)) ? run.length : 0;
      if (handled === 0) {
        // The run failed together (or there is no run): its messages one by one.
        if (run.length > 1) alone = i + run.length;
        if (!(await this.handleMessage(batch.topic, batch.partition, messages[i]!, payload))) return;
        handled = 1;
      }
      i += handled;
      // Unresolved offsets are neither committed nor skipped: the next fetch starts here again.
      resolveOffset(messages[i - 1]!.offset);
      await payload.commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /** True when the BatchProcessor handled every message of the run; false when it failed (an outage counted, nothing else). */
  private async handleTogether(topic: string, partition: number, run: readonly KafkaMessage[]): Promise<boolean> {
    const contexts = run.map((message) => ({ topic, partition, offset: message.offset, groupId: this.options.groupId }));
    try {
      const outcomes = await this.processBatch!(run, contexts);
      for (const outcome of outcomes) this.counters[outcome === 'processed' ? 'processed' : outcome === 'duplicate' ? 'duplicates' : 'ignored']++;
      this.counters.consecutiveFailures = 0;
      return true;
    } catch (error) {
      // An outage is counted as every failed attempt during one is; any other failure is left to
      // the message that causes it, handled alone next with its own attempt budget.
      if (classifyFailure(error) === 'outage') this.noteFailure('transientFailures', 1, error);
      this.logger.debug('a run of messages failed together; handling them one by one', { topic, partition, from: run[0]!.offset, count: run.length, ...errorFields(error) });
      return false;
    }
  }

  /** True once the message is handled or dead-lettered; false when its retry was abandoned (stop, rebalance). */
  private async handleMessage(topic: string, partition: number, message: KafkaMessage, payload: EachBatchPayload): Promise<boolean> {
    const context: MessageContext = { topic, partition, offset: message.offset, groupId: this.options.groupId };
    let counted = 0;
    for (let failed = 1; ; failed++) {
      try {
        const outcome = await this.process(message, context);
        this.counters[outcome === 'processed' ? 'processed' : outcome === 'duplicate' ? 'duplicates' : 'ignored']++;
        this.counters.consecutiveFailures = 0;
        return true;
      } catch (error) {
        const kind = classifyFailure(error);
        if (kind === 'outage') {
          this.noteFailure('transientFailures', failed, error);
          this.logger.warn('infrastructure unavailable; waiting, then retrying the same message', { ...context, attempt: failed, ...errorFields(error) });
        } else {
          counted++;
          this.noteFailure('failures', failed, error);
          if (kind === 'poison' || counted >= this.maxAttempts) return this.deadLetter(message, context, error, counted, payload);
          this.logger.warn('event handling failed; retrying the same message', { ...context, attempt: counted, maxAttempts: this.maxAttempts, ...errorFields(error) });
        }
      }
      if (!(await this.backoff(failed, payload))) return false;
    }
  }

  private noteFailure(counter: 'transientFailures' | 'failures', consecutive: number, error: unknown): void {
    this.counters[counter]++;
    this.counters.consecutiveFailures = consecutive;
    this.lastError = error instanceof Error ? error.message : String(error);
  }

  /** Publishes the dead letter, retrying the publish (never the handler) while Kafka refuses it. */
  private async deadLetter(message: KafkaMessage, context: MessageContext, error: unknown, attempts: number, payload: EachBatchPayload): Promise<boolean> {
    const failure = describeFailure(error);
    const reason = error instanceof PoisonMessageError ? error.reason : `retries-exhausted: ${failure.errorClass}: ${failure.message}`;
    const headers: IHeaders = {
      // A redriven message that fails again gets fresh dead-letter headers, not two sets.
      ...originalHeaders(message.headers),
      [DLQ_HEADERS.reason]: reason,
      [DLQ_HEADERS.errorClass]: failure.errorClass,
      ...(failure.errorCode !== undefined ? { [DLQ_HEADERS.errorCode]: failure.errorCode } : {}),
      [DLQ_HEADERS.attempts]: String(attempts),
      [DLQ_HEADERS.originalTopic]: context.topic,
      [DLQ_HEADERS.originalPartition]: String(context.partition),
      [DLQ_HEADERS.originalOffset]: context.offset,
      [DLQ_HEADERS.consumerGroup]: context.groupId,
      [DLQ_HEADERS.failedAt]: (this.options.clock ?? systemClock).now().toISOString(),
    };
    for (let failed = 1; ; failed++) {
      try {
        if (!this.producer) throw new Error('the consumer is not started');
        await this.producer.send({ topic: this.dlqTopic, acks: -1, messages: [{ key: message.key, value: message.value, headers }] });
        this.counters.deadLettered++;
        this.counters.consecutiveFailures = 0;
        this.logger.warn('message dead-lettered', { ...context, deadLetterTopic: this.dlqTopic, reason, errorClass: failure.errorClass, attempts });
        await this.onDeadLettered?.(message, context, reason).catch((listenerError: unknown) => {
          this.logger.warn('recording the dead letter failed (it is on the dead-letter topic)', { ...context, ...errorFields(listenerError) });
        });
        return true;
      } catch (publishError) {
        this.noteFailure('transientFailures', this.counters.consecutiveFailures + 1, publishError);
        this.logger.warn('dead-letter publish failed; retrying the publish', { ...context, deadLetterTopic: this.dlqTopic, ...errorFields(publishError) });
      }
      if (!(await this.backoff(failed, payload))) return false;
    }
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
}
