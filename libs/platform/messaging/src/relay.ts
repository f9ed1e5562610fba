import type { Kafka, Message, Producer, ProducerBatch, RecordMetadata } from 'kafkajs';
import type { Pool } from 'pg';
import { type Clock, type EventStore, compareGlobalPositions, type GlobalPosition, type RecordedEvent, type Subscription, systemClock } from '@projectflo/platform/core';
import { BackoffOptions, DEFAULT_BACKOFF, InterruptibleSleep, backoffDelay } from './backoff';
import { encodeEvent } from './cloud-events';
import { MessagingLogger, errorFields, silentLogger } from './logger';
import { PgRelayCheckpointStore, type RelayCheckpointStore } from './relay-checkpoint.store';
import { type TopicMap, routeStream } from './topics';

/** The part of a kafkajs Producer the relay uses (so tests can inject faults around a real one). */
export type RelayProducer = Pick<Producer, 'connect' | 'disconnect'> & {
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]>;
};

/**
 * The producer a relay should use: idempotent (the broker drops the duplicates its own retries
 * would create) with one request in flight, so a retry can never reorder a partition.
 * Its internal retries are bounded on purpose: the relay retries forever itself, which lets it
 * log, report lag and stop while the broker is away, instead of hanging inside kafkajs.
 */
export function createRelayProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
  });
}

export const DEFAULT_RELAY_BATCH_SIZE = 500;

export interface EventRelayOptions {
  /** Identifies this relay's checkpoint row, e.g. `crm`. */
  readonly name: string;
  /** Producing service, for `ce_source`/`ce_type` (`crm` → `projectflo/crm`). */
  readonly service: string;
  readonly store: EventStore;
  readonly producer: RelayProducer;
  /** Aggregate type → topic; events of other streams are skipped (and checkpointed past). */
  readonly topics: TopicMap;
  /** Postgres holding `<schema>.relay_checkpoints`; or pass `checkpoints` instead. */
  readonly pool?: Pool;
  readonly schema?: string;
  readonly checkpoints?: RelayCheckpointStore;
  readonly batchSize?: number;
  readonly retry?: BackoffOptions;
  readonly logger?: MessagingLogger;
  readonly clock?: Clock;
  /**
   * Fault injection for tests: runs after the broker acknowledged a batch and before its
   * checkpoint is saved. If it throws, the relay behaves as if the process died right there:
   * it stops without saving the checkpoint.
   */
  readonly beforeCheckpoint?: (position: GlobalPosition, events: readonly RecordedEvent[]) => Promise<void> | void;
}

export type RelayState = 'created' | 'running' | 'stopping' | 'stopped' | 'crashed';

export interface RelayMetrics {
  readonly state: RelayState;
  /** Messages acknowledged by the broker (a re-sent batch counts again). */
  readonly published: number;
  /** Events of streams without a topic mapping. */
  readonly skipped: number;
  readonly checkpoint?: GlobalPosition;
  /** Events read from the store and not yet acknowledged. */
  readonly pendingEvents: number;
  /** Age of the oldest pending event (ms since the store recorded it); 0 when nothing is pending. */
  readonly lagMs: number;
  /** Failed publish/checkpoint attempts of the batch in hand; 0 when healthy. */
  readonly consecutiveFailures: number;
  readonly lastError?: string;
}

class RelayStoppedError extends Error {
  override readonly name = 'RelayStoppedError';
}

/**
 * Publishes the service's own events, in commit order, from its event store to Kafka. The
 * checkpoint is saved only after the broker acknowledged a batch, and a failed publish is retried
 * forever with backoff, so an acknowledged append is never lost (at least once). A crash between
 * publish and checkpoint re-sends that batch on restart; consumers dedupe by event id.
 */
export class EventRelay {
  private readonly logger: MessagingLogger;
  private readonly retry: BackoffOptions;
  private readonly clock: Clock;
  private readonly checkpoints: RelayCheckpointStore;
  private readonly sleeper = new InterruptibleSleep();
  private subscription: Subscription | undefined;
  private connected = false;
  private state: RelayState = 'created';
  private teardown: Promise<void> | undefined;
  private checkpoint: GlobalPosition | undefined;
  private counters = { published: 0, skipped: 0, consecutiveFailures: 0 };
  private pending: readonly RecordedEvent[] = [];
  private lastError: string | undefined;

  constructor(private readonly options: EventRelayOptions) {
    this.logger = options.logger ?? silentLogger;
    this.retry = options.retry ?? DEFAULT_BACKOFF;
    this.clock = options.clock ?? systemClock;
    if (options.checkpoints) this.checkpoints = options.checkpoints;
    else if (options.pool && options.schema) this.checkpoints = new PgRelayCheckpointStore(options.pool, options.schema);
    else throw new Error('EventRelay needs either checkpoints or pool + schema');
  }

  get name(): string {
    return this.options.name;
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new Error(`relay ${this.name} cannot start from state ${this.state}`);
    await this.checkpoints.ensureSchema();
    this.checkpoint = await this.checkpoints.load(this.name);
    this.state = 'running';
    this.subscription = this.options.store.subscribeToAll({
      after: this.checkpoint,
      batchSize: this.options.batchSize ?? DEFAULT_RELAY_BATCH_SIZE,
      onEvents: (events) => this.relay(events),
      onError: (error) => {
        if (!(error instanceof RelayStoppedError)) this.logger.error('relay subscription error; it retries', { relay: this.name, ...errorFields(error) });
      },
    });
    this.logger.info('event relay started', { relay: this.name, checkpoint: this.checkpoint });
  }

  /** Lets the batch in hand finish (publish and checkpoint) unless its publish is failing, then stops. */
  async stop(): Promise<void> {
    if (this.state === 'running') this.state = 'stopping';
    this.sleeper.interruptAll();
    await this.shutdown();
  }

  metrics(): RelayMetrics {
    const oldest = this.pending[0];
    return {
      state: this.state,
      published: this.counters.published,
      skipped: this.counters.skipped,
      checkpoint: this.checkpoint,
      pendingEvents: this.pending.length,
      lagMs: oldest ? Math.max(0, this.clock.now().getTime() - Date.parse(oldest.recordedAt)) : 0,
      consecutiveFailures: this.counters.consecutiveFailures,
      lastError: this.lastError,
    };
  }

  private shutdown(): Promise<void> {
    this.teardown ??= (async () => {
      await this.subscription?.close();
      if (this.connected) await this.options.producer.disconnect().catch((error: unknown) => this.logger.warn('producer disconnect failed', errorFields(error)));
      this.connected = false;
      if (this.state !== 'crashed') this.state = 'stopped';
      this.logger.info('event relay stopped', { relay: this.name, state: this.state, checkpoint: this.checkpoint });
    })();
    return this.teardown;
  }

  private async relay(events: RecordedEvent[]): Promise<void> {
    if (this.state !== 'running' && this.state !== 'stopping') throw new RelayStoppedError(`relay ${this.name} is ${this.state}`);
    if (events.length === 0) return;
    this.pending = events;
    const last = events[events.length - 1].globalPosition;
    this.checkCommitOrder(events);

    const byTopic = new Map<string, Message[]>();
    for (const event of events) {
      const route = routeStream(event.streamName, this.options.topics);
      if (!route) {
        this.counters.skipped++;
        this.logger.debug('no topic for stream; skipped', { relay: this.name, stream: event.streamName, eventId: event.eventId });
        continue;
      }
      let messages = byTopic.get(route.topic);
      if (!messages) byTopic.set(route.topic, (messages = []));
      messages.push(encodeEvent(event, this.options.service, route.key));
    }
    const batch: ProducerBatch = { acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) };
    const count = batch.topicMessages?.reduce((sum, t) => sum + t.messages.length, 0) ?? 0;

    if (count > 0) await this.untilDone('publish', () => this.publish(batch));
    this.counters.published += count;

    if (this.options.beforeCheckpoint) {
      try {
        await this.options.beforeCheckpoint(last, events);
      } catch (error) {
        this.crash(error);
        throw new RelayStoppedError(`relay ${this.name} crashed before its checkpoint`);
      }
    }

    await this.untilDone('checkpoint', () => this.checkpoints.save(this.name, last));
    this.checkpoint = last;
    this.pending = [];
  }

  /**
   * The relay trusts the store's commit order (it checkpoints the batch's last position); a batch
   * that is not strictly increasing, or that starts at or before the checkpoint, means the store
   * can skip or repeat events, which must be loud rather than silent.
   */
  private checkCommitOrder(events: readonly RecordedEvent[]): void {
    let previous = this.checkpoint;
    for (const event of events) {
      if (previous && compareGlobalPositions(event.globalPosition, previous) <= 0) {
        this.logger.error('event store delivered events out of commit order', {
          relay: this.name,
          eventId: event.eventId,
          position: event.globalPosition,
          previous,
        });
        return;
      }
      previous = event.globalPosition;
    }
  }

  private async publish(batch: ProducerBatch): Promise<void> {
    if (!this.connected) {
      await this.options.producer.connect();
      this.connected = true;
    }
    await this.options.producer.sendBatch(batch);
  }

  /** Retries `step` with backoff until it succeeds; gives up (without advancing anything) only when stopping. */
  private async untilDone(step: string, fn: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await fn();
        this.counters.consecutiveFailures = 0;
        return;
      } catch (error) {
        this.counters.consecutiveFailures = attempt;
        this.lastError = error instanceof Error ? error.message : String(error);
        this.logger.warn(`relay ${step} failed; retrying`, { relay: this.name, attempt, ...errorFields(error) });
      }
      if (this.state !== 'running') throw new RelayStoppedError(`relay ${this.name} stopped while its ${step} was failing`);
      await this.sleeper.sleep(backoffDelay(attempt, this.retry));
      if (this.state !== 'running') throw new RelayStoppedError(`relay ${this.name} stopped while its ${step} was failing`);
    }
  }

  private crash(error: unknown): void {
    this.state = 'crashed';
    this.lastError = error instanceof Error ? error.message : String(error);
    this.logger.error('relay crashed', { relay: this.name, ...errorFields(error) });
    // Not awaited: we are inside the subscription's handler, and closing it waits for that handler.
    setImmediate(() => void this.shutdown());
  }
}
