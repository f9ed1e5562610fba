import type { Kafka, Message, Producer, ProducerBatch, RecordMetadata } from 'kafkajs';
import type { Pool } from 'pg';
import {
  type Clock,
  type EventStore,
  compareGlobalPositions,
  type GlobalPosition,
  type LogBacklog,
  type RecordedEvent,
  type Subscription,
  systemClock,
} from '@projectflo/platform/core';
import { BackoffOptions, DEFAULT_BACKOFF, InterruptibleSleep, backoffDelay } from './backoff';
import { encodeEvent } from './cloud-events';
import { errorFields, type Logger, silentLogger } from '@projectflo/platform/logging';
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

/** Events read from the store at a time. */
export const DEFAULT_RELAY_BATCH_SIZE = 500;
/**
 * Upper bound of one produce request, estimated from the encoded messages. Half of Kafka's
 * default `message.max.bytes` (1 MiB), which applies to each partition's record batch, so the
 * estimate may be off by a good margin and still never meet MESSAGE_TOO_LARGE. An event is at
 * most MAX_EVENT_BYTES (256 KiB), so one always fits.
 */
export const DEFAULT_RELAY_MAX_BATCH_BYTES = 512 * 1024;
/** Upper bound of the messages in one produce request. */
export const DEFAULT_RELAY_MAX_BATCH_MESSAGES = 500;
/** How often the relay counts what lies beyond its checkpoint (RelayMetrics.backlog). */
export const DEFAULT_RELAY_BACKLOG_INTERVAL_MS = 5_000;
/** Per-record framing Kafka adds to key, value and headers (varints, attributes, offsets). */
const RECORD_OVERHEAD_BYTES = 64;

export interface EventRelayOptions {
  /** Identifies this relay's checkpoint row, e.g. `crm`. */
  readonly name: string;
  /** Producing service, for `ce_source`/`ce_type` (`crm` → `projectflo/crm`). */
  readonly service: string;
  readonly store: EventStore;
  /**
   * Makes the relay's producer (createRelayProducer). Called again after a failed send: the relay
   * drops a producer that failed and starts over with a new one, so a producer left in a fatal
   * state can never stop publishing for good.
   */
  readonly producer: () => RelayProducer;
  /** Aggregate type → topic; events of other streams are skipped (and checkpointed past). */
  readonly topics: TopicMap;
  /** Postgres holding `<schema>.relay_checkpoints`; or pass `checkpoints` instead. */
  readonly pool?: Pool;
  readonly schema?: string;
  readonly checkpoints?: RelayCheckpointStore;
  readonly batchSize?: number;
  /** Bytes per produce request (estimated); DEFAULT_RELAY_MAX_BATCH_BYTES. */
  readonly maxBatchBytes?: number;
  /** Messages per produce request; DEFAULT_RELAY_MAX_BATCH_MESSAGES. */
  readonly maxBatchMessages?: number;
  /** How often to count the backlog beyond the checkpoint; DEFAULT_RELAY_BACKLOG_INTERVAL_MS. */
  readonly backlogIntervalMs?: number;
  readonly retry?: BackoffOptions;
  readonly logger?: Logger;
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
  /**
   * Age of the oldest event recorded and not yet published (ms since the store recorded it),
   * whether the relay holds it or the store still holds it back; 0 when nothing is waiting.
   */
  readonly lagMs: number;
  /**
   * What lies beyond the checkpoint as last counted (every backlogIntervalMs): events recorded
   * but not yet published, including those the store holds back behind a running transaction,
   * and that transaction. Absent when the store cannot count.
   */
  readonly backlog?: LogBacklog;
  /** Failed publish/checkpoint attempts of the batch in hand; 0 when healthy. */
  readonly consecutiveFailures: number;
  readonly lastError?: string;
}

/** One produce request and how far it takes the checkpoint. */
interface PublishBatch {
  readonly request: ProducerBatch;
  /** Messages in the request. */
  readonly count: number;
  /** Store events it covers, mapped or not. */
  readonly events: number;
  /** Position of the last of those events: the checkpoint once the broker acknowledged. */
  readonly last: GlobalPosition;
}

/** A message's size on the wire, estimated: key, value, header names and values, framing. */
export function estimateMessageBytes(message: Message): number {
  let bytes = RECORD_OVERHEAD_BYTES + byteLength(message.key) + byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    for (const part of Array.isArray(value) ? value : [value]) bytes += byteLength(name) + byteLength(part) + 2;
  }
  return bytes;
}

function byteLength(value: string | Buffer | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
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
  private readonly logger: Logger;
  private readonly retry: BackoffOptions;
  private readonly clock: Clock;
  private readonly checkpoints: RelayCheckpointStore;
  private readonly sleeper = new InterruptibleSleep();
  private subscription: Subscription | undefined;
  private producer: RelayProducer | undefined;
  private connected = false;
  private backlog: LogBacklog | undefined;
  private backlogTimer: NodeJS.Timeout | undefined;
  private warnedHolder: number | undefined;
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
    this.scheduleBacklogCount();
    this.logger.info('event relay started', { relay: this.name, checkpoint: this.checkpoint });
  }

  /** Lets the batch in hand finish (publish and checkpoint) unless its publish is failing, then stops. */
  async stop(): Promise<void> {
    if (this.state === 'running') this.state = 'stopping';
    this.sleeper.interruptAll();
    await this.shutdown();
  }

  metrics(): RelayMetrics {
    const oldest = [this.pending[0]?.recordedAt, this.backlog?.events ? this.backlog.oldestRecordedAt : undefined]
      .filter((at): at is string => at !== undefined)
      .map((at) => Date.parse(at));
    return {
      state: this.state,
      published: this.counters.published,
      skipped: this.counters.skipped,
      checkpoint: this.checkpoint,
      pendingEvents: this.pending.length,
      lagMs: oldest.length > 0 ? Math.max(0, this.clock.now().getTime() - Math.min(...oldest)) : 0,
      ...(this.backlog ? { backlog: this.backlog } : {}),
      consecutiveFailures: this.counters.consecutiveFailures,
      lastError: this.lastError,
    };
  }

  /**
   * Counts what lies beyond the checkpoint now and then, so the lag figure tells the truth while
   * the store holds events back (a long transaction anywhere in the cluster), and says who holds.
   */
  private scheduleBacklogCount(): void {
    const { store } = this.options;
    if (!store.backlog) return;
    const count = async (): Promise<void> => {
      try {
        this.backlog = await store.backlog?.(this.checkpoint);
        this.warnIfHeldBack();
      } catch (error) {
        this.logger.debug('relay backlog count failed', { relay: this.name, ...errorFields(error) });
      }
      if (this.state === 'running') {
        this.backlogTimer = setTimeout(() => void count(), this.options.backlogIntervalMs ?? DEFAULT_RELAY_BACKLOG_INTERVAL_MS);
        this.backlogTimer.unref();
      }
    };
    void count();
  }

  private warnIfHeldBack(): void {
    const holder = this.backlog?.heldBack ? this.backlog.holder : undefined;
    if (holder === undefined || holder.pid === this.warnedHolder) return;
    this.warnedHolder = holder.pid;
    this.logger.warn('relay held back by a running transaction: committed events wait behind it', {
      relay: this.name,
      heldBack: this.backlog?.heldBack,
      holder,
    });
  }

  private shutdown(): Promise<void> {
    this.teardown ??= (async () => {
      clearTimeout(this.backlogTimer);
      await this.subscription?.close();
      await this.dropProducer();
      if (this.state !== 'crashed') this.state = 'stopped';
      this.logger.info('event relay stopped', { relay: this.name, state: this.state, checkpoint: this.checkpoint });
    })();
    return this.teardown;
  }

  private async relay(events: RecordedEvent[]): Promise<void> {
    if (this.state !== 'running' && this.state !== 'stopping') throw new RelayStoppedError(`relay ${this.name} is ${this.state}`);
    if (events.length === 0) return;
    this.pending = events;
    this.checkCommitOrder(events);
    let handled = 0;
    for (const batch of this.batches(events)) {
      if (batch.count > 0) await this.untilDone('publish', () => this.publish(batch.request));
      this.counters.published += batch.count;
      const covered = events.slice(handled, handled + batch.events);
      handled += batch.events;
      if (this.options.beforeCheckpoint) {
        try {
          await this.options.beforeCheckpoint(batch.last, covered);
        } catch (error) {
          this.crash(error);
          throw new RelayStoppedError(`relay ${this.name} crashed before its checkpoint`);
        }
      }
      await this.untilDone('checkpoint', () => this.checkpoints.save(this.name, batch.last));
      this.checkpoint = batch.last;
      this.pending = events.slice(handled);
    }
  }

  /**
   * Cuts the events (in commit order) into produce requests under the byte and message limits,
   * each request grouped by topic. Events of unmapped streams ride along with the request they
   * fall into (so the checkpoint passes them), and are counted as skipped.
   */
  private batches(events: readonly RecordedEvent[]): PublishBatch[] {
    const maxBytes = this.options.maxBatchBytes ?? DEFAULT_RELAY_MAX_BATCH_BYTES;
    const maxMessages = this.options.maxBatchMessages ?? DEFAULT_RELAY_MAX_BATCH_MESSAGES;
    const batches: PublishBatch[] = [];
    let byTopic = new Map<string, Message[]>();
    let current = { count: 0, bytes: 0, events: 0 };
    const close = (last: GlobalPosition): void => {
      const request: ProducerBatch = { acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) };
      batches.push({ request, count: current.count, events: current.events, last });
      byTopic = new Map();
      current = { count: 0, bytes: 0, events: 0 };
    };
    events.forEach((event, index) => {
      const route = routeStream(event.streamName, this.options.topics);
      if (route) {
        const message = encodeEvent(event, this.options.service, route.key);
        const bytes = estimateMessageBytes(message);
        if (current.count > 0 && (current.count + 1 > maxMessages || current.bytes + bytes > maxBytes)) close(events[index - 1].globalPosition);
        let messages = byTopic.get(route.topic);
        if (!messages) byTopic.set(route.topic, (messages = []));
        messages.push(message);
        current.count++;
        current.bytes += bytes;
      } else {
        this.counters.skipped++;
        this.logger.debug('no topic for stream; skipped', { relay: this.name, stream: event.streamName, eventId: event.eventId });
      }
      current.events++;
    });
    close(events[events.length - 1].globalPosition);
    return batches;
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

  /**
   * Sends one request with the current producer, making and connecting one first when there is
   * none. A failed send drops the producer: kafkajs does not recover some states by itself (a
   * non-retriable error, an idempotent sequence out of step after a broker restart), so the next
   * attempt starts over with a new producer. A re-sent request may duplicate messages, which
   * consumers dedupe; it never loses one.
   */
  private async publish(batch: ProducerBatch): Promise<void> {
    try {
      this.producer ??= this.options.producer();
      if (!this.connected) {
        await this.producer.connect();
        this.connected = true;
      }
      await this.producer.sendBatch(batch);
    } catch (error) {
      await this.dropProducer();
      throw error;
    }
  }

  private async dropProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.connected = false;
    await producer?.disconnect().catch((error: unknown) => this.logger.warn('producer disconnect failed', { relay: this.name, ...errorFields(error) }));
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
