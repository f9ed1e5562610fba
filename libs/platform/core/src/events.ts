/** A domain event as a decider emits it: a discriminated union member. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Who issues commands: a user of the tenant (through a verified token) or a service itself (automations). */
export const ACTOR_KINDS = ['user', 'service'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/**
 * Who did what, when, and why — the part of every recorded event that is not the domain fact
 * itself. Every event carries its tenant; the event store is the audit log.
 */
export interface EventMetadata {
  readonly tenantId: string;
  readonly actorId: string;
  /**
   * Whether a user or a service (an automation, `system:<service>`) issued the command, so the
   * audit trail tells them apart. Absent only on events recorded before it was kept (issue 8).
   */
  readonly actorKind?: ActorKind;
  /** The client-supplied request id of the command that produced the event (idempotency key). */
  readonly requestId: string;
  /** The id of the conversation this event belongs to (propagated from the first command). */
  readonly correlationId: string;
  /** The id of the message (command or event) that directly caused this event. */
  readonly causationId: string;
  /** Business time the event occurred at, from the command's clock (ISO-8601, UTC). */
  readonly occurredAt: string;
  /** How many automation hops led to this event (0 for a human command). Used by loop guards. */
  readonly automationDepth?: number;
  /** Fingerprint of the request that produced the event (CommandMetadata.requestFingerprint). */
  readonly requestFingerprint?: string;
}

/** An event to append: the domain event plus its identity, schema version and metadata. */
export interface EventToAppend<E extends DomainEvent = DomainEvent> {
  readonly eventId: string;
  readonly type: E['type'];
  readonly data: E['data'];
  /** Version of this event type's payload schema. */
  readonly schemaVersion: number;
  readonly metadata: EventMetadata;
}

/**
 * The largest event an event store accepts: its type, data and metadata as UTF-8 JSON. The relay
 * publishes each event as one Kafka message and splits batches by bytes, so any event up to this
 * size can always be published (Kafka's default limit for a message batch is 1 MiB). A larger
 * event is refused at append with INVALID_ARGUMENT. See docs/EVENTS.md.
 */
export const MAX_EVENT_BYTES = 256 * 1024;

/** An event's size as MAX_EVENT_BYTES counts it. */
export function eventSizeBytes(event: Pick<EventToAppend, 'type' | 'data' | 'metadata'>): number {
  return utf8.encode(event.type).length + utf8.encode(JSON.stringify(event.data ?? null)).length + utf8.encode(JSON.stringify(event.metadata)).length;
}

// TextEncoder rather than Buffer: this file is also bundled into Temporal workflows.
const utf8 = new TextEncoder();

/**
 * A position in the global, commit-ordered log. For the PostgreSQL store `commit` is the
 * writing transaction's id and `prepare` the row's sequence number; for EventStoreDB they are
 * its commit and prepare positions. Both are decimal strings, compared as unsigned 64-bit ints.
 */
export interface GlobalPosition {
  readonly commit: string;
  readonly prepare: string;
}

/** An event as it was recorded, with its place in its stream and in the global log. */
export interface RecordedEvent<E extends DomainEvent = DomainEvent> extends EventToAppend<E> {
  readonly streamName: string;
  /** 1-based position of the event within its stream. */
  readonly streamPosition: number;
  readonly globalPosition: GlobalPosition;
  /** Wall-clock time the store recorded it (ISO-8601). */
  readonly recordedAt: string;
}

export function compareGlobalPositions(a: GlobalPosition, b: GlobalPosition): number {
  const commit = BigInt(a.commit) - BigInt(b.commit);
  if (commit !== 0n) return commit < 0n ? -1 : 1;
  const prepare = BigInt(a.prepare) - BigInt(b.prepare);
  return prepare === 0n ? 0 : prepare < 0n ? -1 : 1;
}
