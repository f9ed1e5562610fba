import type { Logger } from '@projectflo/platform/logging';
import { logLevel, type logCreator } from 'kafkajs';

/**
 * Broker answers that kafkajs logs as errors on its connection although the client handles them
 * itself: metadata and offsets asked while a new topic's partitions are still getting a leader
 * (kafkajs refreshes metadata and retries), a CreateTopics answer saying the topic already
 * exists (another service created it first; `admin.createTopics` treats that as done), and a
 * coordinator that is still loading on a new broker (kafkajs retries the request). Whatever
 * is not handled reaches the caller as an exception and is logged there. At start on an empty
 * broker every service sees these; they are not worth an error line.
 */
const HANDLED_BY_KAFKAJS: readonly { readonly request: RegExp; readonly error: RegExp }[] = [
  { request: /^Response (Metadata|ListOffsets|OffsetFetch|Fetch)\b/, error: /does not host this topic-partition|no leader for this topic-partition|not the leader for that topic-partition/ },
  { request: /^Response CreateTopics\b/, error: /^Topic creation errors$|already exists/ },
  // A new broker's group and transaction coordinators are still loading: kafkajs asks again.
  { request: /^Response (GroupCoordinator|FindCoordinator|InitProducerId|JoinGroup|SyncGroup|OffsetFetch|Heartbeat)\b/, error: /coordinator is loading|coordinator is not available/i },
];

type Level = 'error' | 'warn' | 'info' | 'debug';

/** The level a kafkajs log entry is written at. */
export function kafkaLogLevelOf(level: logLevel, message: string, error: unknown): Level {
  if (typeof error === 'string' && HANDLED_BY_KAFKAJS.some((h) => h.request.test(message) && h.error.test(error))) return 'debug';
  if (level <= logLevel.ERROR) return 'error';
  if (level === logLevel.WARN) return 'warn';
  if (level === logLevel.INFO) return 'info';
  return 'debug';
}

/** kafkajs logs through the service's JSON logger instead of its own text format. */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      // kafkajs logs some entries without a message (seen: a SASL failure answered by the broker);
      // a log creator that throws there crashes the consumer that logged it.
      const { message: raw, ...fields } = log;
      const message = typeof raw === 'string' ? raw : String(raw ?? '');
      logger[kafkaLogLevelOf(level, message, fields['error'])](`kafka: ${message}`, fields);
    };
}
