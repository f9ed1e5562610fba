/*
 * Read-your-writes over gRPC. A command's reply carries, in its `x-consistency-token` response
 * header, the events it wrote (or, when it changed nothing, the events its decision rested on): for
 * each stream and event type, the last such event and the topic it is published on. A call that
 * sends the token back in its `x-consistency-token` request header is held at the gate until every
 * consumer group of the service that handles those events has processed them (its inbox holds
 * them), so the read model it answers from shows the write. The wait is bounded:
 * DEADLINE_EXCEEDED when the caller's deadline comes first, UNAVAILABLE (retryable) when the
 * server's bound (CONSISTENCY_WAIT_MS) does. A token is opaque to clients; several may be sent
 * (one header each) and all are waited for. A token names events, not tenants' data: an event id
 * is all it reveals.
 */
import type { Metadata } from '@grpc/grpc-js';
import { DomainError } from '@projectflo/platform/core';
import { z } from 'zod';

/** Request and response header of the consistency token. */
export const CONSISTENCY_HEADER = 'x-consistency-token';

/** One event a command wrote (or rested on): the topic it is published on, its type and its id. */
export interface WrittenEvent {
  readonly topic: string;
  readonly type: string;
  readonly eventId: string;
}

/** At most this many events in one reply's token (the last written win): a header stays well under gRPC's 8 KiB metadata limit. */
export const MAX_TOKEN_EVENTS = 32;
/** At most this many tokens one request may send. */
export const MAX_TOKENS_PER_REQUEST = 8;
const MAX_TOKEN_CHARS = 4096;
const TOKEN_VERSION = 1;

/** The events one call's commands wrote, last event per (stream, type), in the order written. */
export class WriteLog {
  private readonly byStreamAndType = new Map<string, WrittenEvent>();

  /** Records an event of `stream`; a later event of the same stream and type replaces the earlier (same partition, so it comes after it). */
  record(stream: string, event: WrittenEvent): void {
    const key = `${stream}\u0000${event.type}`;
    this.byStreamAndType.delete(key);
    this.byStreamAndType.set(key, event);
  }

  get written(): readonly WrittenEvent[] {
    return [...this.byStreamAndType.values()].slice(-MAX_TOKEN_EVENTS);
  }
}

/** The write logs of calls in flight, by the Metadata object their handler receives (as the gate's callers). */
const writeLogs = new WeakMap<Metadata, WriteLog>();

/** The write log of the call whose request metadata this is (created on first use). */
export function writeLogOf(metadata: Metadata): WriteLog {
  let log = writeLogs.get(metadata);
  if (log === undefined) writeLogs.set(metadata, (log = new WriteLog()));
  return log;
}

/** The token of what a call wrote, or undefined when it wrote nothing that is published. */
export function writtenToken(metadata: Metadata | undefined): string | undefined {
  let written = metadata === undefined ? [] : (writeLogs.get(metadata)?.written ?? []);
  if (written.length === 0) return undefined;
  let token = encodeConsistencyToken(written);
  // Long topic names could outgrow what a request may send back: the earliest events give way.
  while (token.length > MAX_TOKEN_CHARS && written.length > 1) token = encodeConsistencyToken((written = written.slice(1)));
  return token;
}

/** Compact JSON: the topics once, then [topic index, type, event id] per event; base64url. */
export function encodeConsistencyToken(written: readonly WrittenEvent[]): string {
  const topics = [...new Set(written.map((w) => w.topic))];
  const events = written.map((w) => [topics.indexOf(w.topic), w.type, w.eventId]);
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, t: topics, e: events }), 'utf8').toString('base64url');
}

const tokenSchema = z.object({
  v: z.literal(TOKEN_VERSION),
  t: z.array(z.string().regex(/^[A-Za-z0-9._-]{1,249}$/)).min(1).max(MAX_TOKEN_EVENTS),
  e: z
    .array(z.tuple([z.number().int().min(0), z.string().regex(/^[A-Za-z][A-Za-z0-9._-]{0,127}$/), z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/)]))
    .min(1)
    .max(MAX_TOKEN_EVENTS),
});

function invalidToken(description: string): DomainError {
  return DomainError.invalid({ field: CONSISTENCY_HEADER, description });
}

/** Decodes one token; INVALID_ARGUMENT naming the header for anything but a token a reply carried. */
export function decodeConsistencyToken(token: string): WrittenEvent[] {
  if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalidToken('must be a token exactly as a command reply returned it');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken('must be a token exactly as a command reply returned it');
  }
  const result = tokenSchema.safeParse(parsed);
  if (!result.success) throw invalidToken('must be a token exactly as a command reply returned it');
  const { t: topics, e: events } = result.data;
  return events.map(([index, type, eventId]) => {
    const topic = topics[index];
    if (topic === undefined) throw invalidToken('must be a token exactly as a command reply returned it');
    return { topic, type, eventId };
  });
}

/** The events of every token the request sends (none without the header); INVALID_ARGUMENT for a malformed one. */
export function requestedConsistency(metadata: Metadata): WrittenEvent[] {
  const values = metadata.get(CONSISTENCY_HEADER);
  if (values.length > MAX_TOKENS_PER_REQUEST) throw invalidToken(`at most ${MAX_TOKENS_PER_REQUEST} tokens may be sent`);
  return values.flatMap((value) => {
    if (typeof value !== 'string') throw invalidToken('must be a text header');
    const token = value.trim();
    return token === '' ? [] : decodeConsistencyToken(token);
  });
}

/** What the gate asks before a call that sent tokens reaches its handler (bound by the service: the inbox of its consumers). */
export interface ConsistencyWait {
  /**
   * Resolves once every read-model consumer group that handles these events has processed them;
   * rejects with ConsistencyNotReached at `deadline` (epoch ms) or the server's own bound, and
   * stops (rejecting) when `cancelled` aborts.
   */
  waitFor(events: readonly WrittenEvent[], deadline: number, cancelled?: AbortSignal): Promise<void>;
}

/** The wait ended before the read model reached the token: at the caller's deadline, or at the server's bound. */
export class ConsistencyNotReached extends Error {
  constructor(
    readonly ending: 'deadline' | 'bound',
    readonly waitedMs: number,
    readonly behind: readonly string[],
  ) {
    super(
      ending === 'deadline'
        ? `the call's deadline passed after ${waitedMs} ms while the read model had not reached its ${CONSISTENCY_HEADER} (consumer groups behind: ${behind.join(', ')})`
        : `the read model has not reached the ${CONSISTENCY_HEADER} after ${waitedMs} ms (consumer groups behind: ${behind.join(', ')}); retry the call`,
    );
    this.name = 'ConsistencyNotReached';
  }
}
