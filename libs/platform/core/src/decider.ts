import type { DomainEvent } from './events';

/**
 * Everything a command carries besides its intent: who, for which tenant, when (from the caller's
 * clock) and under which request id. Deciders read time only from here.
 */
export interface CommandMetadata {
  readonly tenantId: string;
  readonly actorId: string;
  readonly requestId: string;
  readonly now: Date;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** Set when an automation (not a person) issues the command; incremented per hop. */
  readonly automationDepth?: number;
  /**
   * A digest of the request the command came from (set by the gRPC edge): a repeated request id
   * whose fingerprint differs is ALREADY_EXISTS instead of a replay of the first result.
   */
  readonly requestFingerprint?: string;
}

export interface Command<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: CommandMetadata;
}

/** One aggregate, one decider: pure functions, no I/O, exhaustive over commands and events. */
export interface Decider<State, C extends Command, E extends DomainEvent> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: E) => State;
  readonly decide: (command: C, state: State) => E[];
}

/** Compile-time exhaustiveness guard for `switch` defaults. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
