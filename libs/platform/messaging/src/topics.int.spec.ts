import type { Kafka } from 'kafkajs';
import { deleteKafkaResources, readAllMessages, runId, testKafka } from './messaging.test-support';
import { TopicNamespace } from './topic-namespace';
import { ensureTopics, withAdmin } from './topics';

jest.setTimeout(120_000);

const PARTITIONS = 3;

/** Sends one message to every partition of every topic, with no retry to hide a partition without a leader. */
async function produceToEveryPartition(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  await producer.connect();
  try {
    await producer.sendBatch({
      acks: -1,
      topicMessages: topics.map((topic) => ({
        topic,
        messages: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, key: `k${partition}`, value: `${topic}/${partition}` })),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

describe('ensureTopics against real Kafka', () => {
  const id = runId();
  const shared = [`test.first-start-shared-${id}.v1`, `test.first-start-lead-${id}.v1`];
  const own = (i: number): string => `test.first-start-own${i}-${id}.v1`;
  const created: string[] = [...shared];

  afterAll(async () => {
    await deleteKafkaResources(testKafka(`topics-cleanup-${id}`), created, []);
  });

  it('lets five clients create overlapping topics at once, each returning only when every partition can take a write', async () => {
    const clients = Array.from({ length: 5 }, (_, i) => ({ kafka: testKafka(`topics-int-${id}-${i}`), topics: [...shared, own(i)] }));
    created.push(...clients.map((_, i) => own(i)));
    await Promise.all(
      clients.map(async ({ kafka, topics }) => {
        await withAdmin(kafka, (admin) => ensureTopics(admin, topics, PARTITIONS));
        // At once, as a relay would: no partition may answer "does not host this topic-partition".
        await produceToEveryPartition(kafka, topics);
      }),
    );
    const metadata = await withAdmin(clients[0].kafka, (admin) => admin.fetchTopicMetadata({ topics: created }));
    expect(metadata.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(created.map((t) => [t, PARTITIONS]).sort());
  });

  it('is a no-op for topics that already exist', async () => {
    const kafka = testKafka(`topics-int-again-${id}`);
    await withAdmin(kafka, (admin) => ensureTopics(admin, shared, PARTITIONS + 2));
    const metadata = await withAdmin(kafka, (admin) => admin.fetchTopicMetadata({ topics: shared }));
    expect(metadata.topics.map((t) => t.partitions.length)).toEqual([PARTITIONS, PARTITIONS]);
  });
});

describe('a topic namespace against real Kafka', () => {
  const id = runId();
  const namespace = new TopicNamespace(`test-ns-${id}.`);
  const logical = `test.namespaced-${id}.v1`;
  const raw = testKafka(`namespace-int-${id}`);
  const kafka = namespace.wrap(raw);

  afterAll(async () => {
    await deleteKafkaResources(raw, [namespace.physical(logical)], []);
  });

  it('creates, lists, writes and reads its topics under the prefix, and shows them by their logical names', async () => {
    await withAdmin(kafka, (admin) => ensureTopics(admin, [logical], PARTITIONS));
    await produceToEveryPartition(kafka, [logical]);

    expect(await withAdmin(raw, (admin) => admin.listTopics())).toEqual(expect.arrayContaining([namespace.physical(logical)]));
    expect(await withAdmin(raw, (admin) => admin.listTopics())).not.toContain(logical);
    const listed = await withAdmin(kafka, (admin) => admin.listTopics());
    expect(listed).toEqual([logical]);

    const read = await readAllMessages(kafka, [logical]);
    expect(read.map((m) => [m.topic, m.message.value?.toString()]).sort()).toEqual(
      Array.from({ length: PARTITIONS }, (_, p) => [logical, `${logical}/${p}`]),
    );
    const physicalOffsets = await withAdmin(raw, (admin) => admin.fetchTopicOffsets(namespace.physical(logical)));
    expect(physicalOffsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(PARTITIONS);
  });
});
