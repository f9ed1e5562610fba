import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { type KafkaConnectionSource, TopicNamespace, createKafka, withAdmin } from '@projectflo/platform/messaging';

/**
 * Kafka topics of one test run's own: a service instance started with `prefix` as its
 * KAFKA_TOPIC_PREFIX shares no topic with a running platform or another run, so it consumes only
 * what its run produces. `client()` speaks the logical names the services' code uses
 * (`crm.lead.v1`), and `delete()` removes every topic of the run afterwards.
 */
export class TestTopics {
  readonly namespace: TopicNamespace;

  constructor(
    readonly prefix: string,
    private readonly connection: KafkaConnectionSource = process.env,
  ) {
    this.namespace = new TopicNamespace(prefix);
  }

  /** A fresh namespace `<label>-<random>.`. */
  static create(label: string): TestTopics {
    return new TestTopics(`${label}-${randomBytes(4).toString('hex')}.`);
  }

  /** A Kafka client whose producers, consumers and admins use this run's topics by their logical names. */
  client(clientId: string): Kafka {
    return this.namespace.wrap(createKafka(clientId, {}, this.connection));
  }

  /** Deletes every topic of this run (dead-letter topics included) and the given consumer groups. */
  async delete(groups: readonly string[] = []): Promise<void> {
    await withAdmin(this.client(`${this.prefix}cleanup`), async (admin) => {
      if (groups.length > 0) await admin.deleteGroups([...groups]).catch(() => undefined);
      const topics = await admin.listTopics();
      if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    });
  }
}
