import { randomUUID } from 'node:crypto';
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { TestTopics } from '@projectflo/platform/testing';

export interface TappedMessage {
  readonly topic: string;
  readonly key: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly value: unknown;
}

function text(value: Buffer | string | (Buffer | string)[] | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? text(value[0]) : value.toString();
}

function toTapped(topic: string, message: KafkaMessage): TappedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = text(value);
  return { topic, key: message.key?.toString() ?? '', headers, value: message.value ? JSON.parse(message.value.toString()) : null };
}

/**
 * Reads topics (logical names, in the run's namespace) from the beginning with a throwaway
 * consumer group, the way a downstream consumer would, and keeps what it saw for assertions.
 */
export class KafkaTap {
  readonly messages: TappedMessage[] = [];
  private consumer: Consumer | undefined;

  constructor(
    private readonly namespace: TestTopics,
    private readonly topics: readonly string[],
  ) {}

  async start(): Promise<void> {
    this.consumer = this.namespace.client('e2e-tap').consumer({ groupId: `e2e-tap-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await this.consumer.run({ eachMessage: async ({ topic, message }) => void this.messages.push(toTapped(topic, message)) });
  }

  forTenant(tenantId: string): TappedMessage[] {
    return this.messages.filter((m) => m.headers['ce_tenantid'] === tenantId);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
