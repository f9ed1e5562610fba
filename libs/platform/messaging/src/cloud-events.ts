import type { IHeaders, Message } from 'kafkajs';
import { z } from 'zod';
import { ACTOR_KINDS, type DomainEvent, type EventMetadata, type RecordedEvent } from '@projectflo/platform/core';
import { PoisonMessageError } from './poison-message.error';
import { parseStreamName } from './topics';

/**
 * CloudEvents 1.0, Kafka protocol binding, binary content mode: the event data is the message
 * value (JSON) and every attribute is a `ce_`-prefixed header. Extension attribute names follow
 * the spec's rule (lower-case letters and digits only).
 */
export const CE = {
  specVersion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  subject: 'ce_subject',
  time: 'ce_time',
  contentType: 'content-type',
  // Extensions.
  schemaVersion: 'ce_schemaversion',
  tenantId: 'ce_tenantid',
  actorId: 'ce_actorid',
  /** `user` or `service` (an automation): who issued the command. */
  actorKind: 'ce_actorkind',
  requestId: 'ce_requestid',
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
  automationDepth: 'ce_automationdepth',
  streamPosition: 'ce_streamposition',
  globalCommit: 'ce_globalcommit',
  globalPrepare: 'ce_globalprepare',
  recordedAt: 'ce_recordedat',
} as const;

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const JSON_CONTENT_TYPE = 'application/json';
const SOURCE_PREFIX = 'projectflo/';
const TYPE_PREFIX = 'projectflo.';
const SERVICE = /^[a-z][a-z0-9-]*$/;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_]*$/;

/** `ce_source` of a service: `projectflo/<service>`. */
export function cloudEventSource(service: string): string {
  if (!SERVICE.test(service)) throw new Error(`invalid service name ${JSON.stringify(service)}`);
  return `${SOURCE_PREFIX}${service}`;
}

/**
 * `ce_type` is `projectflo.<service>.<EventType>`, e.g. `projectflo.crm.LeadStatusChanged`:
 * reverse-DNS-like and namespaced by the producing bounded context, while the last segment is
 * the event type handlers are registered under. The payload's schema version travels separately
 * in `ce_schemaversion`; its major version is also in the topic name.
 */
export function cloudEventType(service: string, eventType: string): string {
  if (!SERVICE.test(service)) throw new Error(`invalid service name ${JSON.stringify(service)}`);
  if (!EVENT_TYPE.test(eventType)) throw new Error(`invalid event type ${JSON.stringify(eventType)}`);
  return `${TYPE_PREFIX}${service}.${eventType}`;
}

/** A recorded event as a consumer sees it after decoding: the same envelope, plus its producer. */
export interface EventEnvelope<E extends DomainEvent = DomainEvent> extends RecordedEvent<E> {
  /** `ce_source`, e.g. `projectflo/crm`. */
  readonly source: string;
}

/**
 * Encodes a recorded event as a Kafka message: key = aggregate id (so one aggregate's events stay
 * in order on one partition), value = JSON of the event data, attributes as headers.
 * `service` names the producer (`crm`, `task-engine`, ...); the relay passes the key its route
 * found (see routeStream), otherwise it is derived from the stream name.
 */
export function encodeEvent(event: RecordedEvent, service: string, key: string = messageKey(event.streamName)): Message {
  const { metadata } = event;
  const headers: Record<string, string> = {
    [CE.specVersion]: CLOUDEVENTS_SPEC_VERSION,
    [CE.id]: event.eventId,
    [CE.source]: cloudEventSource(service),
    [CE.type]: cloudEventType(service, event.type),
    [CE.subject]: event.streamName,
    [CE.time]: metadata.occurredAt,
    [CE.contentType]: JSON_CONTENT_TYPE,
    [CE.schemaVersion]: String(event.schemaVersion),
    [CE.tenantId]: metadata.tenantId,
    [CE.actorId]: metadata.actorId,
    [CE.requestId]: metadata.requestId,
    [CE.correlationId]: metadata.correlationId,
    [CE.causationId]: metadata.causationId,
    [CE.streamPosition]: String(event.streamPosition),
    [CE.globalCommit]: event.globalPosition.commit,
    [CE.globalPrepare]: event.globalPosition.prepare,
    [CE.recordedAt]: event.recordedAt,
  };
  if (metadata.automationDepth !== undefined) headers[CE.automationDepth] = String(metadata.automationDepth);
  if (metadata.actorKind !== undefined) headers[CE.actorKind] = metadata.actorKind;
  return {
    key,
    value: JSON.stringify(event.data ?? null),
    headers,
  };
}

/** The aggregate id of a stream; the whole stream name when it does not follow `<aggregate>-<id>`. */
export function messageKey(stream: string): string {
  return parseStreamName(stream)?.id ?? stream;
}

const nonEmpty = z.string().min(1);
const isoTime = z.string().datetime({ offset: true });
const positiveInt = z.string().regex(/^[1-9][0-9]{0,15}$/, 'a positive integer').transform(Number);
const nonNegativeInt = z.string().regex(/^(0|[1-9][0-9]{0,15})$/, 'a non-negative integer').transform(Number);
const unsigned64 = z.string().regex(/^(0|[1-9][0-9]{0,19})$/, 'an unsigned integer');

const headerSchema = z.object({
  [CE.specVersion]: z.literal(CLOUDEVENTS_SPEC_VERSION),
  [CE.id]: nonEmpty,
  [CE.source]: nonEmpty,
  [CE.type]: z.string().regex(/^projectflo\.[a-z][a-z0-9-]*\.[A-Za-z][A-Za-z0-9_]*$/, 'projectflo.<service>.<EventType>'),
  [CE.subject]: nonEmpty,
  [CE.time]: isoTime,
  [CE.contentType]: z.string().regex(/^application\/json(\s*;.*)?$/i, 'application/json'),
  [CE.schemaVersion]: positiveInt,
  [CE.tenantId]: nonEmpty,
  [CE.actorId]: nonEmpty,
  [CE.actorKind]: z.enum(ACTOR_KINDS).optional(),
  [CE.requestId]: nonEmpty,
  [CE.correlationId]: nonEmpty,
  [CE.causationId]: nonEmpty,
  [CE.automationDepth]: nonNegativeInt.optional(),
  [CE.streamPosition]: positiveInt,
  [CE.globalCommit]: unsigned64,
  [CE.globalPrepare]: unsigned64,
  [CE.recordedAt]: isoTime,
});

/** The message fields decoding needs (kafkajs' KafkaMessage satisfies it). */
export interface IncomingMessage {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: IHeaders;
}

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (value === undefined) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/**
 * Decodes and validates a message produced by `encodeEvent`. Throws PoisonMessageError naming the
 * first problem, so the consumer can dead-letter it instead of retrying forever.
 */
export function decodeEvent(message: IncomingMessage): EventEnvelope {
  const raw: Record<string, string | undefined> = {};
  for (const name of Object.values(CE)) raw[name] = headerText(message.headers, name);

  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const header = String(issue.path[0] ?? '?');
    const missing = raw[header] === undefined;
    throw new PoisonMessageError(missing ? 'missing-header' : 'invalid-header', missing ? `header ${header} is missing` : `header ${header}: ${issue.message}`);
  }
  const h = parsed.data;

  if (message.value === null || message.value === undefined) throw new PoisonMessageError('missing-value', 'the message has no value');
  const text = Buffer.isBuffer(message.value) ? message.value.toString('utf8') : message.value;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PoisonMessageError('invalid-json', `value is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }

  const ceType = h[CE.type];
  const metadata: EventMetadata = {
    tenantId: h[CE.tenantId],
    actorId: h[CE.actorId],
    ...(h[CE.actorKind] === undefined ? {} : { actorKind: h[CE.actorKind] }),
    requestId: h[CE.requestId],
    correlationId: h[CE.correlationId],
    causationId: h[CE.causationId],
    occurredAt: h[CE.time],
    ...(h[CE.automationDepth] === undefined ? {} : { automationDepth: h[CE.automationDepth] }),
  };
  return {
    eventId: h[CE.id],
    type: ceType.slice(ceType.lastIndexOf('.') + 1),
    data,
    schemaVersion: h[CE.schemaVersion],
    metadata,
    streamName: h[CE.subject],
    streamPosition: h[CE.streamPosition],
    globalPosition: { commit: h[CE.globalCommit], prepare: h[CE.globalPrepare] },
    recordedAt: h[CE.recordedAt],
    source: h[CE.source],
  };
}
