import type { Admin, ITopicConfig, Kafka } from 'kafkajs';

/**
 * Maps an aggregate type (the prefix of its stream names, e.g. `lead` for `lead-<uuid>`) to the
 * topic its events are published on, or to null for an internal stream that is never published
 * (needed where an internal type's prefix extends a published one: `contact-email-…` would
 * otherwise route as `contact-…`). Each service hands its own map to its relay.
 */
export type TopicMap = Readonly<Record<string, string | null>>;

/** The topics a map publishes to. */
export function publishedTopics(topics: TopicMap): string[] {
  return [...new Set(Object.values(topics).filter((t): t is string => t !== null))];
}

const NAME_PART = /^[a-z][a-z0-9-]*$/;
const TOPIC = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$/;
const UUID_SUFFIX = /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** `<context>.<aggregate>.v<major>`, e.g. `crm.lead.v1`: one topic per aggregate type and major schema version. */
export function topicName(context: string, aggregate: string, majorVersion: number): string {
  if (!NAME_PART.test(context)) throw new Error(`invalid topic context ${JSON.stringify(context)}`);
  if (!NAME_PART.test(aggregate)) throw new Error(`invalid topic aggregate ${JSON.stringify(aggregate)}`);
  if (!Number.isInteger(majorVersion) || majorVersion < 1) throw new Error(`invalid topic major version ${majorVersion}`);
  return `${context}.${aggregate}.v${majorVersion}`;
}

export function isTopicName(name: string): boolean {
  return TOPIC.test(name);
}

/**
 * What a consumer reads: a topic by name, or every topic whose name starts with `prefix` (the
 * per-tenant inbound topics `<inbound>.<tenantId>`, including those created while it runs).
 */
export type TopicSelector = string | { readonly prefix: string };

/** The dead-letter topic of a consumer group. */
export function deadLetterTopic(groupId: string): string {
  return `${groupId}.dlq`;
}

/** `<aggregate>-<id>`, e.g. `lead-<uuid>`. */
export function streamName(aggregate: string, id: string): string {
  if (!NAME_PART.test(aggregate)) throw new Error(`invalid aggregate type ${JSON.stringify(aggregate)}`);
  if (id.length === 0) throw new Error('an aggregate id must not be empty');
  return `${aggregate}-${id}`;
}

export interface ParsedStreamName {
  readonly aggregate: string;
  readonly id: string;
}

/**
 * Splits a stream name into aggregate type and id. Ids are usually uuids (which contain hyphens),
 * so a trailing uuid is taken as the id and everything before it as the aggregate — that keeps
 * hyphenated aggregate types (`change-order-<uuid>`) working. Otherwise the first hyphen splits.
 */
export function parseStreamName(name: string): ParsedStreamName | undefined {
  const uuid = UUID_SUFFIX.exec(name);
  if (uuid && uuid.index > 0) return { aggregate: name.slice(0, uuid.index), id: uuid[1] };
  const dash = name.indexOf('-');
  if (dash <= 0 || dash === name.length - 1) return undefined;
  return { aggregate: name.slice(0, dash), id: name.slice(dash + 1) };
}

/** Where a stream's events are published: its topic, and the message key (the aggregate id). */
export interface StreamRoute {
  readonly topic: string;
  readonly key: string;
}

/**
 * The route of a stream, or undefined when its aggregate type is not published. The map's keys
 * are aggregate types and the stream name's prefix decides, longest first: `lead-pipeline-<id>`
 * goes to the `lead-pipeline` topic even when `lead` is mapped too, whatever the id looks like;
 * the rest of the name is the aggregate id, the message key.
 */
export function routeStream(stream: string, topics: TopicMap): StreamRoute | undefined {
  let best: string | undefined;
  for (const aggregate of Object.keys(topics)) {
    if (stream.startsWith(`${aggregate}-`) && stream.length > aggregate.length + 1 && (best === undefined || aggregate.length > best.length)) {
      best = aggregate;
    }
  }
  const topic = best === undefined ? null : topics[best];
  return best === undefined || topic === null ? undefined : { topic, key: stream.slice(best.length + 1) };
}

/** The topic of a stream (see routeStream). */
export function resolveTopic(stream: string, topics: TopicMap): string | undefined {
  return routeStream(stream, topics)?.topic;
}

export interface EnsureTopicsOptions {
  readonly partitions?: number;
  readonly replicationFactor?: number;
  readonly configEntries?: ITopicConfig['configEntries'];
  /** How long to wait for every partition of every topic to have a leader (default 60 s). */
  readonly leaderTimeoutMs?: number;
}

/**
 * Creates the topics that do not exist yet and returns once every partition of every named topic
 * has a leader, so a producer or consumer can use them at once. Safe while other processes create
 * the same topics: a topic another creator got to first counts as created (TOPIC_ALREADY_EXISTS),
 * and the wait covers existing topics too, because a topic that is listed may still be electing
 * its leaders (the cause of "This server does not host this topic-partition" on a fresh broker).
 * Existing topics are left as they are, even if their partition count differs, because changing
 * it would reshuffle keys.
 */
export async function ensureTopics(admin: Admin, topics: readonly string[], options: EnsureTopicsOptions | number = {}): Promise<void> {
  const { partitions = 3, replicationFactor = 1, configEntries, leaderTimeoutMs = 60_000 } =
    typeof options === 'number' ? { partitions: options } : options;
  const wanted = [...new Set(topics)];
  if (wanted.length === 0) return;
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    try {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor, configEntries })),
      });
    } catch (error) {
      if (!onlyTopicsThatExist(error)) throw error;
    }
  }
  await awaitTopicLeaders(admin, wanted, leaderTimeoutMs);
}

/** A create that failed only because other creators got there first. */
function onlyTopicsThatExist(error: unknown): boolean {
  const errors = (error as { errors?: unknown }).errors;
  const all = Array.isArray(errors) ? errors : [error];
  return all.length > 0 && all.every((e) => (e as { type?: unknown }).type === 'TOPIC_ALREADY_EXISTS');
}

/** Errors the broker answers while a new topic's metadata and leaders are still propagating. */
const NOT_READY_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);

/** Topics that still have no partitions or a partition without a leader, per a fresh metadata answer. */
export function topicsWithoutLeaders(
  wanted: readonly string[],
  metadata: { readonly topics: readonly { readonly name: string; readonly partitions: readonly { readonly leader: number }[] }[] },
): string[] {
  const byName = new Map(metadata.topics.map((t) => [t.name, t.partitions]));
  return wanted.filter((topic) => {
    const partitions = byName.get(topic);
    return !partitions || partitions.length === 0 || partitions.some((p) => p.leader < 0);
  });
}

/** A broker answer that a new topic is not ready yet (kafkajs may wrap it after its own retries). */
function notReadyYet(error: unknown): string | undefined {
  for (let e = error; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && NOT_READY_YET.has(type)) return type;
  }
  return undefined;
}

/**
 * Waits until the metadata shows a leader for every partition, and then until those leaders
 * answer for them (a ListOffsets request): a broker may announce itself as leader in the metadata
 * a moment before it serves the partition ("This server is not the leader for that topic-partition").
 */
async function awaitTopicLeaders(admin: Admin, topics: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending: readonly string[] = topics;
  let lastError = '';
  for (let attempt = 1; ; attempt++) {
    try {
      if (pending.length > 0) pending = topicsWithoutLeaders(pending, await admin.fetchTopicMetadata({ topics: [...pending] }));
      if (pending.length === 0) {
        for (const topic of topics) await admin.fetchTopicOffsets(topic);
        return;
      }
      lastError = 'partitions without a leader';
    } catch (error) {
      const type = notReadyYet(error);
      if (type === undefined) throw error;
      lastError = type;
    }
    if (Date.now() >= deadline) {
      throw new Error(`topics ${(pending.length > 0 ? pending : topics).join(', ')} are not served by a leader for every partition after ${timeoutMs} ms (${lastError})`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * attempt)));
  }
}

/** Runs `fn` with a connected admin client and always disconnects it. */
export async function withAdmin<R>(kafka: Kafka, fn: (admin: Admin) => Promise<R>): Promise<R> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}
