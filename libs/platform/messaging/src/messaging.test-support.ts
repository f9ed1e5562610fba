import { randomBytes, randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { Pool } from 'pg';
import type { RecordedEvent } from '@projectflo/platform/core';
import { DEFAULT_DATABASE_URL, createPgPool } from '@projectflo/platform/event-store';
import { quoteIdentifier } from '@projectflo/platform/core';
import { createKafka } from './kafka-client';

/** Shared plumbing of this library's integration tests: real Kafka and Postgres, isolated per run. */
export const DATABASE_URL = process.env.MIGRATION_DATABASE_URL ?? DEFAULT_DATABASE_URL;

export function runId(): string {
  return randomBytes(4).toString('hex');
}

export function testKafka(clientId: string): Kafka {
  return createKafka(clientId, { retry: { retries: 3 } });
}

export function testPool(): Pool {
  return createPgPool(DATABASE_URL, { max: 5, onIdleClientError: () => undefined });
}

export async function dropSchema(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema, 'schema')} CASCADE`);
}

export async function deleteKafkaResources(kafka: Kafka, topics: readonly string[], groups: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    if (present.length > 0) await admin.deleteTopics({ topics: present }).catch(() => undefined);
    if (groups.length > 0) await admin.deleteGroups([...groups]).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

export async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface ReadMessage {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

/** Every message currently on the topics (up to their high watermarks), read by a throwaway group. */
export async function readAllMessages(kafka: Kafka, topics: readonly string[]): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  let expected = 0;
  try {
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) expected += Number(p.high) - Number(p.low);
    }
  } finally {
    await admin.disconnect();
  }
  const groupId = `test-reader-${runId()}`;
  const consumer = kafka.consumer({ groupId });
  const out: ReadMessage[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ topic, partition, message }) => void out.push({ topic, partition, message }) });
    await waitFor(`${expected} messages on ${topics.join(', ')}`, () => out.length >= expected);
  } finally {
    await consumer.disconnect();
    await deleteKafkaResources(kafka, [], [groupId]);
  }
  return out;
}

export function header(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  if (value === undefined) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

let sequence = 0;

/** A recorded event as a store would return it (for messages produced straight to a topic). */
export function recordedEvent(stream: string, type: string, data: unknown, streamPosition = 1): RecordedEvent {
  sequence++;
  return {
    eventId: randomUUID(),
    type,
    data,
    schemaVersion: 1,
    metadata: {
      tenantId: 'tenant-test',
      actorId: 'actor-test',
      requestId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, sequence)).toISOString(),
    },
    streamName: stream,
    streamPosition,
    globalPosition: { commit: String(sequence), prepare: String(sequence) },
    recordedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, sequence)).toISOString(),
  };
}
