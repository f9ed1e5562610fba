import type { Admin, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { CE } from './cloud-events';
import { DLQ_HEADERS, originalHeaders } from './dead-letter-headers';
import { withAdmin } from './topics';

/** One message of a dead-letter topic, as `scripts/dead-letters.ts list` shows it. */
export interface DeadLetter {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** The original message's headers (without the `x-dlq-*` ones). */
  readonly headers: IHeaders;
  readonly reason: string | undefined;
  readonly errorClass: string | undefined;
  readonly errorCode: string | undefined;
  readonly attempts: string | undefined;
  readonly originalTopic: string | undefined;
  readonly originalPartition: string | undefined;
  readonly originalOffset: string | undefined;
  readonly consumerGroup: string | undefined;
  readonly failedAt: string | undefined;
  /** The CloudEvents type and id, when the original message had them. */
  readonly eventType: string | undefined;
  readonly eventId: string | undefined;
  /** Below the redrive mark: `redrive` without `--offset` already republished it. */
  readonly redriven: boolean;
}

/**
 * The group whose committed offsets on a dead-letter topic mark how far `redrive` (of everything
 * pending) has gone. It never consumes; only its offsets are written.
 */
export function redriveMarkGroup(dlqTopic: string): string {
  return `${dlqTopic}.redrive`;
}

/** Every message on the dead-letter topic, oldest first per partition. */
export async function listDeadLetters(kafka: Kafka, dlqTopic: string): Promise<DeadLetter[]> {
  const { ranges, marks } = await withAdmin(kafka, async (admin) => ({
    ranges: await offsetRanges(admin, dlqTopic),
    marks: await redriveMarks(admin, dlqTopic),
  }));
  const messages = await readRanges(kafka, dlqTopic, ranges);
  return messages.map(({ partition, message }) => toDeadLetter(partition, message, BigInt(message.offset) < (marks.get(partition) ?? 0n)));
}

export interface RedriveSelection {
  /** Only this dead letter (on `partition`, default 0); the redrive mark is left as it is. */
  readonly offset?: string;
  readonly partition?: number;
}

export interface RedriveReport {
  /** The dead letters republished, each to its original topic and partition. */
  readonly redriven: readonly DeadLetter[];
}

/**
 * Republishes dead letters to the topic and partition they came from, with their original key,
 * value and headers, so every consumer group of that topic sees the same event again: the group
 * that dead-lettered it handles it now (its inbox never claimed it), the others find it in their
 * inbox (or their idempotency key) and skip it.
 * Without an offset: every dead letter at or above the redrive mark, then the mark moves past
 * them, so running it twice republishes nothing twice. With an offset: that one dead letter.
 */
export async function redriveDeadLetters(kafka: Kafka, dlqTopic: string, selection: RedriveSelection = {}): Promise<RedriveReport> {
  const all = await listDeadLetters(kafka, dlqTopic);
  const chosen =
    selection.offset === undefined
      ? all.filter((d) => !d.redriven)
      : all.filter((d) => d.offset === selection.offset && d.partition === (selection.partition ?? 0));
  if (selection.offset !== undefined && chosen.length === 0) {
    throw new Error(`${dlqTopic} has no dead letter at partition ${selection.partition ?? 0}, offset ${selection.offset}`);
  }
  const unroutable = chosen.filter((d) => d.originalTopic === undefined || d.originalPartition === undefined);
  if (unroutable.length > 0) {
    throw new Error(`dead letters without ${DLQ_HEADERS.originalTopic}/${DLQ_HEADERS.originalPartition}: ${unroutable.map(position).join(', ')}`);
  }
  if (chosen.length > 0) {
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (const d of chosen) {
        await producer.send({
          topic: d.originalTopic!,
          acks: -1,
          messages: [{ partition: Number(d.originalPartition), key: d.key, value: d.value, headers: d.headers }],
        });
      }
    } finally {
      await producer.disconnect();
    }
  }
  if (selection.offset === undefined) await moveRedriveMark(kafka, dlqTopic, chosen);
  return { redriven: chosen };
}

/** `<partition>:<offset>`, how the tool names a dead letter. */
export function position(deadLetter: Pick<DeadLetter, 'partition' | 'offset'>): string {
  return `${deadLetter.partition}:${deadLetter.offset}`;
}

interface OffsetRange {
  readonly partition: number;
  readonly low: bigint;
  readonly high: bigint;
}

async function offsetRanges(admin: Admin, topic: string): Promise<OffsetRange[]> {
  const existing = await admin.listTopics();
  if (!existing.includes(topic)) throw new Error(`topic ${topic} does not exist (a consumer creates <group>.dlq when it starts)`);
  return (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, low: BigInt(p.low), high: BigInt(p.high) }));
}

async function redriveMarks(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const [offsets] = await admin.fetchOffsets({ groupId: redriveMarkGroup(topic), topics: [topic] });
  return new Map((offsets?.partitions ?? []).filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, BigInt(p.offset)]));
}

async function moveRedriveMark(kafka: Kafka, topic: string, redriven: readonly DeadLetter[]): Promise<void> {
  const next = new Map<number, bigint>();
  for (const d of redriven) next.set(d.partition, BigInt(d.offset) + 1n);
  if (next.size === 0) return;
  await withAdmin(kafka, (admin) =>
    admin.setOffsets({
      groupId: redriveMarkGroup(topic),
      topic,
      partitions: [...next].map(([partition, offset]) => ({ partition, offset: offset.toString() })),
    }),
  );
}

/** Reading a dead-letter topic takes a moment; a watermark that is never reached means something else is wrong. */
const READ_TIMEOUT_MS = 60_000;

/** Reads each partition from its low to its high watermark with a throwaway group, which is deleted afterwards. */
async function readRanges(kafka: Kafka, topic: string, ranges: readonly OffsetRange[]): Promise<{ partition: number; message: KafkaMessage }[]> {
  const pending = new Map(ranges.filter((r) => r.high > r.low).map((r) => [r.partition, r.high]));
  if (pending.size === 0) return [];
  const groupId = `${topic}.reader-${process.pid}-${Date.now()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const out: { partition: number; message: KafkaMessage }[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out reading ${topic} up to its high watermarks`)), READ_TIMEOUT_MS);
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const high = pending.get(partition);
            if (high === undefined || BigInt(message.offset) >= high) return;
            out.push({ partition, message });
            if (BigInt(message.offset) + 1n >= high) pending.delete(partition);
            if (pending.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
    await withAdmin(kafka, (admin) => admin.deleteGroups([groupId])).catch(() => undefined);
  }
  return out.sort((a, b) => a.partition - b.partition || Number(BigInt(a.message.offset) - BigInt(b.message.offset)));
}

function toDeadLetter(partition: number, message: KafkaMessage, redriven: boolean): DeadLetter {
  const h = (name: string): string | undefined => headerText(message.headers?.[name]);
  return {
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: originalHeaders(message.headers),
    reason: h(DLQ_HEADERS.reason),
    errorClass: h(DLQ_HEADERS.errorClass),
    errorCode: h(DLQ_HEADERS.errorCode),
    attempts: h(DLQ_HEADERS.attempts),
    originalTopic: h(DLQ_HEADERS.originalTopic),
    originalPartition: h(DLQ_HEADERS.originalPartition),
    originalOffset: h(DLQ_HEADERS.originalOffset),
    consumerGroup: h(DLQ_HEADERS.consumerGroup),
    failedAt: h(DLQ_HEADERS.failedAt),
    eventType: h(CE.type),
    eventId: h(CE.id),
    redriven,
  };
}

function headerText(value: IHeaders[string]): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}
