import { randomUUID } from 'node:crypto';
import type { ProducerBatch } from 'kafkajs';
import { FixedClock, type EventStore, type EventToAppend, type GlobalPosition } from '@projectflo/platform/core';
import { InMemoryEventStore } from '@projectflo/platform/event-store';
import { CE, encodeEvent } from './cloud-events';
import { EventRelay, type RelayProducer, estimateMessageBytes } from './relay';
import type { RelayCheckpointStore } from './relay-checkpoint.store';

function anEvent(type: string): EventToAppend {
  const id = randomUUID();
  return {
    eventId: id,
    type,
    data: { n: id },
    schemaVersion: 1,
    metadata: { tenantId: 't', actorId: 'a', requestId: id, correlationId: id, causationId: id, occurredAt: '2025-01-01T00:00:00.000Z' },
  };
}

class MemoryCheckpoints implements RelayCheckpointStore {
  readonly saved = new Map<string, GlobalPosition>();
  async ensureSchema(): Promise<void> {}
  async load(name: string): Promise<GlobalPosition | undefined> {
    return this.saved.get(name);
  }
  async save(name: string, position: GlobalPosition): Promise<void> {
    this.saved.set(name, position);
  }
}

class RecordingProducer implements RelayProducer {
  readonly batches: ProducerBatch[] = [];
  failing = false;
  attempts = 0;
  disconnected = false;
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {
    this.disconnected = true;
  }
  async sendBatch(batch: ProducerBatch) {
    this.attempts++;
    if (this.failing) throw new Error('broker down');
    this.batches.push(batch);
    return [];
  }
}

const idsOf = (batch: ProducerBatch): string[] => (batch.topicMessages ?? []).flatMap((t) => t.messages.map((m) => String(m.headers?.[CE.id])));

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('EventRelay', () => {
  let store: InMemoryEventStore;
  beforeEach(() => (store = new InMemoryEventStore()));
  afterEach(() => store.close());

  it('publishes mapped streams in commit order keyed by aggregate id, and checkpoints past unmapped ones', async () => {
    const [lead, task] = [randomUUID(), randomUUID()];
    await store.appendToStream(`lead-${lead}`, [anEvent('LeadCreated'), anEvent('LeadStatusChanged')], 'no_stream');
    await store.appendToStream(`task-${task}`, [anEvent('TaskCreated')], 'no_stream');
    const last = await store.appendToStream(`contact-${randomUUID()}`, [anEvent('ContactCreated')], 'no_stream');

    const producer = new RecordingProducer();
    const checkpoints = new MemoryCheckpoints();
    const relay = new EventRelay({ name: 'crm', service: 'crm', store, producer: () => producer, checkpoints, topics: { lead: 'crm.lead.v1', task: 'tasks.task.v1' } });
    await relay.start();
    await until(() => checkpoints.saved.has('crm'));
    await relay.stop();

    expect(checkpoints.saved.get('crm')).toEqual(last.lastPosition);
    expect(producer.batches).toHaveLength(1);
    const [batch] = producer.batches;
    expect(batch.acks).toBe(-1);
    expect(batch.topicMessages?.map((t) => [t.topic, t.messages.map((m) => [m.key, m.headers?.ce_type])])).toEqual([
      [
        'crm.lead.v1',
        [
          [lead, 'projectflo.crm.LeadCreated'],
          [lead, 'projectflo.crm.LeadStatusChanged'],
        ],
      ],
      ['tasks.task.v1', [[task, 'projectflo.crm.TaskCreated']]],
    ]);
    expect(relay.metrics()).toMatchObject({ state: 'stopped', published: 3, skipped: 1, pendingEvents: 0 });
  });

  it('keeps retrying a failing publish without checkpointing, and stop() gives up cleanly', async () => {
    await store.appendToStream(`lead-${randomUUID()}`, [anEvent('LeadCreated')], 'no_stream');
    const producer = new RecordingProducer();
    producer.failing = true;
    const checkpoints = new MemoryCheckpoints();
    const relay = new EventRelay({ name: 'crm', service: 'crm', store, producer: () => producer, checkpoints, topics: { lead: 'crm.lead.v1' }, retry: { initialMs: 1, maxMs: 5 } });
    await relay.start();
    await until(() => producer.attempts >= 3);
    expect(relay.metrics()).toMatchObject({ pendingEvents: 1, lastError: 'broker down' });
    expect(relay.metrics().consecutiveFailures).toBeGreaterThanOrEqual(3);
    await relay.stop();
    expect(checkpoints.saved.size).toBe(0);
    expect(relay.metrics().published).toBe(0);
  });

  it('resumes after its saved checkpoint', async () => {
    const first = await store.appendToStream(`lead-${randomUUID()}`, [anEvent('LeadCreated')], 'no_stream');
    const second = randomUUID();
    await store.appendToStream(`lead-${second}`, [anEvent('LeadCreated')], 'no_stream');
    const checkpoints = new MemoryCheckpoints();
    await checkpoints.save('crm', first.lastPosition);
    const producer = new RecordingProducer();
    const relay = new EventRelay({ name: 'crm', service: 'crm', store, producer: () => producer, checkpoints, topics: { lead: 'crm.lead.v1' } });
    await relay.start();
    await until(() => producer.batches.length === 1 && relay.metrics().pendingEvents === 0);
    await relay.stop();
    expect(producer.batches[0].topicMessages?.[0].messages.map((m) => m.key)).toEqual([second]);
  });

  it('splits a backlog into produce requests under the byte and message limits, checkpointing after each', async () => {
    const lead = randomUUID();
    const big = (n: number): EventToAppend => ({ ...anEvent('LeadNoteAdded'), data: { body: 'x'.repeat(3_000), n } });
    const appended = Array.from({ length: 10 }, (_, n) => big(n));
    await store.appendToStream(`lead-${lead}`, appended, 'no_stream');
    const producer = new RecordingProducer();
    const checkpoints = new MemoryCheckpoints();
    const saved: GlobalPosition[] = [];
    checkpoints.save = async (name, position) => {
      saved.push(position);
      checkpoints.saved.set(name, position);
    };
    // Three messages fit under the limit; four would not.
    const messageBytes = estimateMessageBytes(encodeEvent(store.allEvents[0], 'crm', lead));
    const maxBatchBytes = Math.floor(3.5 * messageBytes);
    const relay = new EventRelay({ name: 'crm', service: 'crm', store, producer: () => producer, checkpoints, topics: { lead: 'crm.lead.v1' }, maxBatchBytes, maxBatchMessages: 50 });
    await relay.start();
    await until(() => relay.metrics().published === 10 && relay.metrics().pendingEvents === 0);
    await relay.stop();

    expect(producer.batches.map((b) => b.topicMessages?.[0].messages.length)).toEqual([3, 3, 3, 1]);
    expect(producer.batches.flatMap(idsOf)).toEqual(appended.map((e) => e.eventId));
    const recorded = store.allEvents;
    expect(saved).toEqual([recorded[2], recorded[5], recorded[8], recorded[9]].map((e) => e.globalPosition));
  });

  it('caps the messages of one produce request', async () => {
    await store.appendToStream(`lead-${randomUUID()}`, Array.from({ length: 7 }, () => anEvent('LeadCreated')), 'no_stream');
    const producer = new RecordingProducer();
    const relay = new EventRelay({ name: 'crm', service: 'crm', store, producer: () => producer, checkpoints: new MemoryCheckpoints(), topics: { lead: 'crm.lead.v1' }, maxBatchMessages: 3 });
    await relay.start();
    await until(() => relay.metrics().published === 7 && relay.metrics().pendingEvents === 0);
    await relay.stop();
    expect(producer.batches.map((b) => b.topicMessages?.[0].messages.length)).toEqual([3, 3, 1]);
  });

  it('drops a producer whose send failed and publishes through a new one', async () => {
    const events = [anEvent('LeadCreated'), anEvent('LeadStatusChanged')];
    await store.appendToStream(`lead-${randomUUID()}`, events, 'no_stream');
    const broken = new RecordingProducer();
    broken.failing = true;
    const healthy = new RecordingProducer();
    const made: RecordingProducer[] = [];
    const relay = new EventRelay({
      name: 'crm',
      service: 'crm',
      store,
      producer: () => {
        const next = made.length === 0 ? broken : healthy;
        made.push(next);
        return next;
      },
      checkpoints: new MemoryCheckpoints(),
      topics: { lead: 'crm.lead.v1' },
      retry: { initialMs: 1, maxMs: 5 },
    });
    await relay.start();
    await until(() => relay.metrics().published === 2);
    await relay.stop();

    expect(made).toEqual([broken, healthy]);
    expect(broken).toMatchObject({ attempts: 1, disconnected: true });
    expect(healthy.batches.flatMap(idsOf)).toEqual(events.map((e) => e.eventId));
  });

  it('reports events the store holds back, and their age, in its lag figure', async () => {
    const clock = new FixedClock(new Date('2025-01-01T00:10:00.000Z'));
    const holder = { pid: 4242, applicationName: 'rebuild', state: 'idle in transaction', ageMs: 600_000 };
    const heldBackStore: EventStore = Object.assign(Object.create(store) as EventStore, {
      backlog: async () => ({ events: 3, heldBack: 3, oldestRecordedAt: '2025-01-01T00:00:00.000Z', holder }),
      subscribeToAll: store.subscribeToAll.bind(store),
    });
    const warnings: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (message: string) => void warnings.push(message) };
    const relay = new EventRelay({ name: 'crm', service: 'crm', store: heldBackStore, producer: () => new RecordingProducer(), checkpoints: new MemoryCheckpoints(), topics: {}, clock, logger });
    await relay.start();
    await until(() => relay.metrics().backlog !== undefined);
    const metrics = relay.metrics();
    await relay.stop();

    expect(metrics).toMatchObject({ pendingEvents: 0, lagMs: 600_000, backlog: { events: 3, heldBack: 3, holder } });
    expect(warnings).toEqual(['relay held back by a running transaction: committed events wait behind it']);
  });
});
