import type { Admin, Consumer, ConsumerRunConfig, ConsumerSubscribeTopics, Kafka, Producer, TopicPartitionOffsetAndMetadata } from 'kafkajs';

const PREFIX = /^[a-zA-Z0-9._-]{0,100}$/;

/**
 * Maps the logical topic names the code uses (`crm.lead.v1`) to the physical names on the broker
 * (`<prefix>crm.lead.v1`) and back. A service instance with a prefix (KAFKA_TOPIC_PREFIX) shares
 * the broker with others without sharing a single topic: tests use it to start services on topics
 * that were never created.
 */
export class TopicNamespace {
  constructor(readonly prefix: string) {
    if (!PREFIX.test(prefix)) throw new Error(`invalid Kafka topic prefix ${JSON.stringify(prefix)}: letters, digits, '.', '_', '-', at most 100`);
  }

  physical(topic: string): string {
    return `${this.prefix}${topic}`;
  }

  /** The logical name of a physical topic of this namespace, or undefined for another namespace's topic. */
  logical(topic: string): string | undefined {
    return topic.startsWith(this.prefix) ? topic.slice(this.prefix.length) : undefined;
  }

  private toLogical(topic: string): string {
    return this.logical(topic) ?? topic;
  }

  /**
   * A Kafka client whose producers, consumers and admins speak logical names: every topic given
   * to them is prefixed, every topic they report (consumed batches, listings, metadata, offsets)
   * is unprefixed, and listings show only this namespace. The admin calls not mapped here (configs,
   * ACLs, reassignments, createPartitions) take physical names; transactions are not supported.
   * The empty prefix returns the client itself.
   */
  wrap(kafka: Kafka): Kafka {
    if (this.prefix === '') return kafka;
    return {
      producer: (config) => this.producer(kafka.producer(config)),
      consumer: (config) => this.consumer(kafka.consumer(config)),
      admin: (config) => this.admin(kafka.admin(config)),
      logger: () => kafka.logger(),
    };
  }

  private producer(producer: Producer): Producer {
    return {
      ...producer,
      send: (record) => producer.send({ ...record, topic: this.physical(record.topic) }),
      sendBatch: (batch) =>
        producer.sendBatch({ ...batch, topicMessages: batch.topicMessages?.map((t) => ({ ...t, topic: this.physical(t.topic) })) }),
      transaction: () => Promise.reject(new Error('Kafka transactions are not supported with a topic prefix')),
    };
  }

  private consumer(consumer: Consumer): Consumer {
    const physicalPartitions = <T extends { topic: string }>(entries: T[]): T[] => entries.map((e) => ({ ...e, topic: this.physical(e.topic) }));
    return {
      ...consumer,
      subscribe: (subscription) => {
        const topics = 'topics' in subscription ? subscription.topics : [subscription.topic];
        if (topics.some((t) => typeof t !== 'string')) throw new Error('a consumer with a topic prefix subscribes by name, not by pattern');
        const named: ConsumerSubscribeTopics = { topics: (topics as string[]).map((t) => this.physical(t)), fromBeginning: subscription.fromBeginning };
        return consumer.subscribe(named);
      },
      run: (config?: ConsumerRunConfig) => consumer.run(config && this.runConfig(config)),
      pause: (topics) => consumer.pause(physicalPartitions(topics)),
      resume: (topics) => consumer.resume(physicalPartitions(topics)),
      paused: () => consumer.paused().map((t) => ({ ...t, topic: this.toLogical(t.topic) })),
      seek: (target) => consumer.seek({ ...target, topic: this.physical(target.topic) }),
      commitOffsets: (offsets: TopicPartitionOffsetAndMetadata[]) => consumer.commitOffsets(physicalPartitions(offsets)),
    };
  }

  private runConfig(config: ConsumerRunConfig): ConsumerRunConfig {
    const { eachBatch, eachMessage } = config;
    return {
      ...config,
      eachMessage: eachMessage && ((payload) => eachMessage({ ...payload, topic: this.toLogical(payload.topic) })),
      // The batch keeps its methods (offsets, lag) through the prototype; only its topic changes.
      eachBatch:
        eachBatch &&
        ((payload) => eachBatch({ ...payload, batch: Object.create(payload.batch, { topic: { value: this.toLogical(payload.batch.topic) } }) })),
    };
  }

  private admin(admin: Admin): Admin {
    return {
      ...admin,
      listTopics: async () => (await admin.listTopics()).flatMap((t) => this.logical(t) ?? []),
      createTopics: (options) => admin.createTopics({ ...options, topics: options.topics.map((t) => ({ ...t, topic: this.physical(t.topic) })) }),
      deleteTopics: (options) => admin.deleteTopics({ ...options, topics: options.topics.map((t) => this.physical(t)) }),
      fetchTopicMetadata: async (options) => {
        const metadata = await admin.fetchTopicMetadata(options && { topics: options.topics.map((t) => this.physical(t)) });
        const topics = metadata.topics.flatMap((t) => {
          const name = this.logical(t.name);
          return name === undefined ? [] : [{ ...t, name }];
        });
        return { topics };
      },
      fetchTopicOffsets: (topic) => admin.fetchTopicOffsets(this.physical(topic)),
      fetchTopicOffsetsByTimestamp: (topic, timestamp) => admin.fetchTopicOffsetsByTimestamp(this.physical(topic), timestamp),
      fetchOffsets: async (options) => {
        const offsets = await admin.fetchOffsets({ ...options, topics: options.topics?.map((t) => this.physical(t)) });
        return offsets.map((o) => ({ ...o, topic: this.toLogical(o.topic) }));
      },
      setOffsets: (options) => admin.setOffsets({ ...options, topic: this.physical(options.topic) }),
      resetOffsets: (options) => admin.resetOffsets({ ...options, topic: this.physical(options.topic) }),
      deleteTopicRecords: (options) => admin.deleteTopicRecords({ ...options, topic: this.physical(options.topic) }),
    };
  }
}
