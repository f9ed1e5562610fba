import { randomUUID } from 'node:crypto';
import type { ProducerBatch } from 'kafkajs';
import type { EventToAppend, GlobalPosition } from '@projectflo/platform/core';
import { InMemoryEventStore } from '@projectflo/platform/event-store';
import { EventRelay, type RelayProducer } from './relay';
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
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async sendBatch(batch: ProducerBatch) {
    this.attempts++;
    if (this.failing) throw new Error('broker down');
    this.batches.push(batch);
    return [];
  }
}

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
    const relay = new EventRelay({ name: 'crm', service: 'crm', store, producer, checkpoints, topics: { lead: 'crm.lead.v1', task: 'tasks.task.v1' } });
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
    const relay = new EventRelay({ name: 'crm', service: 'crm', store, producer, checkpoints, topics: { lead: 'crm.lead.v1' }, retry: { initialMs: 1, maxMs: 5 } });
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
    const relay = new EventRelay({ name: 'crm', service: 'crm', store, producer, checkpoints, topics: { lead: 'crm.lead.v1' } });
    await relay.start();
    await until(() => producer.batches.length === 1 && relay.metrics().pendingEvents === 0);
    await relay.stop();
    expect(producer.batches[0].topicMessages?.[0].messages.map((m) => m.key)).toEqual([second]);
  });
});
