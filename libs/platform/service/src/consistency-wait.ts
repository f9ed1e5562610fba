/*
 * The service's side of read-your-writes (the gate's ConsistencyWait, grpc/consistency.ts): a call
 * that sends a consistency token waits until every read-model consumer group of this service
 * (ConsumerFactory's `readModel` consumers) that handles the token's events has processed them.
 * "Processed" is the group's inbox row, written in the same transaction as the handler's effect
 * (its read-model rows), so a row seen means the effect is visible. Automations (consumers that
 * issue commands or start workflows) are never waited for, nor groups that do not read the
 * event's topic or do not handle its type; a token of another service's events waits for this
 * service's read models of them (e.g. the task-engine's user directory for crm's AddUser).
 * Polls hold a pooled connection only for one indexed lookup; at most MAX_WAITING calls wait at
 * once (RESOURCE_EXHAUSTED beyond), so tokens cannot pile work onto the service. An event a group
 * dead-lettered instead (inbox_dead_letters) ends the wait at once with FAILED_PRECONDITION.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type Clock, DomainError, DomainErrorCode } from '@projectflo/platform/core';
import { CONSISTENCY_HEADER, ConsistencyNotReached, type ConsistencyWait, type WrittenEvent } from '@projectflo/platform/grpc';
import { type EventConsumer, type InboxClaim, type Tx, type UnclaimedEntry, unclaimedInboxEntries } from '@projectflo/platform/messaging';
import type { Pool } from 'pg';

/** How long the server holds a call for its token when the caller's deadline allows longer (CONSISTENCY_WAIT_MS). */
export const DEFAULT_CONSISTENCY_WAIT_MS = 5_000;
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 100;
/** Calls waiting for tokens at once, per process. */
export const MAX_WAITING = 64;

/** The consumers a token may wait for: the read models a ConsumerFactory created. */
export interface ConsumerRegistry {
  readonly readModels: readonly Pick<EventConsumer, 'groupId' | 'handles'>[];
}

export interface InboxConsistencyWaitOptions {
  readonly pool: Pool;
  /** The schema of the service's inbox. */
  readonly schema: string;
  readonly consumers: ConsumerRegistry;
  readonly clock: Clock;
  /** The server's bound on one call's wait (ms). */
  readonly maxWaitMs?: number;
  /** The timer the wait sleeps on between looks (a test's can be instant). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export class InboxConsistencyWait implements ConsistencyWait {
  /** The pool as the inbox's queries take it: one statement each, no transaction. */
  private readonly connection: Tx;
  private waiting = 0;

  constructor(private readonly options: InboxConsistencyWaitOptions) {
    this.connection = { query: async (sql, params) => (await options.pool.query(sql, params ? [...params] : undefined)).rows };
  }

  async waitFor(events: readonly WrittenEvent[], deadline: number, cancelled?: AbortSignal): Promise<void> {
    let pending = this.awaited(events);
    if (pending.length === 0) return;
    if (this.waiting >= MAX_WAITING) {
      throw new DomainError(DomainErrorCode.ResourceExhausted, `${MAX_WAITING} calls are already waiting for consistency tokens here; retry shortly`);
    }
    this.waiting++;
    try {
      const started = this.options.clock.now().getTime();
      const bound = started + (this.options.maxWaitMs ?? DEFAULT_CONSISTENCY_WAIT_MS);
      const until = Math.min(bound, deadline);
      for (let pause = FIRST_POLL_MS; ; pause = Math.min(pause * 2, MAX_POLL_MS)) {
        cancelled?.throwIfAborted();
        const unprocessed = await this.unprocessed(pending);
        if (unprocessed.length === 0) return;
        const deadLettered = unprocessed.filter((entry) => entry.deadLettered !== undefined);
        if (deadLettered.length > 0) throw deadLetteredError(deadLettered);
        pending = unprocessed;
        const now = this.options.clock.now().getTime();
        if (now >= until) {
          const behind = [...new Set(pending.map((p) => p.consumerGroup))].sort();
          throw new ConsistencyNotReached(until === deadline && deadline < bound ? 'deadline' : 'bound', now - started, behind);
        }
        await this.sleep(Math.min(pause, Math.max(1, until - now)), cancelled);
      }
    } finally {
      this.waiting--;
    }
  }

  /** Sleeps between looks; a cancel ends it early (rejecting with an AbortError). */
  private sleep(ms: number, cancelled?: AbortSignal): Promise<void> {
    return this.options.sleep ? this.options.sleep(ms) : delay(ms, undefined, cancelled ? { signal: cancelled } : {});
  }

  /** (group, event id) for every consumer group that handles an event of the token. */
  private awaited(events: readonly WrittenEvent[]): InboxClaim[] {
    const claims = new Map<string, InboxClaim>();
    for (const event of events) {
      for (const consumer of this.options.consumers.readModels) {
        if (consumer.handles(event.topic, event.type)) claims.set(`${consumer.groupId}\u0000${event.eventId}`, { consumerGroup: consumer.groupId, eventId: event.eventId });
      }
    }
    return [...claims.values()];
  }

  /** The claims whose group's inbox does not hold the event yet (with the dead letter's reason when the group gave up on it). */
  private unprocessed(claims: readonly InboxClaim[]): Promise<UnclaimedEntry[]> {
    return unclaimedInboxEntries(this.connection, this.options.schema, claims);
  }
}

/**
 * A read model that dead-lettered a token's event will not reach the token until an operator
 * redrives the dead letter (scripts/dead-letters.ts): FAILED_PRECONDITION at once, naming the
 * group, the event and why, rather than UNAVAILABLE at the bound (which invites a retry).
 */
function deadLetteredError(entries: readonly UnclaimedEntry[]): DomainError {
  const [first] = entries;
  const which = entries.map((e) => `${e.consumerGroup} dead-lettered event ${e.eventId}`).join('; ');
  return new DomainError(
    DomainErrorCode.FailedPrecondition,
    `the read model will not reach this ${CONSISTENCY_HEADER} until the dead letter is redriven and handled: ${which} (${first?.deadLettered ?? ''})`,
  );
}
