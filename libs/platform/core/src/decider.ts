/*
 * Usage — one aggregate, one decider, written the same way in every context:
 *
 *   export const leadDecider = defineDecider({
 *     aggregate: 'lead',                                   // named in NOT_FOUND messages
 *     schemaVersions: { LeadCaptured: 1, LeadArchived: 1 }, // payload version stamped on each event type
 *     initialState: (): LeadState => ({ lifecycle: 'none' }),
 *     evolve: (state, event) => { switch (event.type) { ... default: return assertNever(event, 'lead event'); } },
 *     decide: (command, state) => { switch (command.type) { ... default: return assertNever(command, 'lead command'); } },
 *   });
 *
 * Pure: no I/O, no Date.now(); time, ids and the actor arrive in `command.metadata`. Run it with
 * CommandExecutor.run (@projectflo/platform/service), specify it with deciderSpecification.
 */
import type { ActorKind, DomainEvent } from './events';

/**
 * Everything a command carries besides its intent: who, for which tenant, when (from the caller's
 * clock) and under which request id. Deciders read time only from here.
 */
export interface CommandMetadata {
  readonly tenantId: string;
  readonly actorId: string;
  /** Whether a person (a user of the tenant) or a service (`system:<service>`, an automation) issued it. */
  readonly actorKind: ActorKind;
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

/** What folds a stream into a state: the part of a decider that loading an aggregate needs. */
export interface Fold<State, E extends DomainEvent> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: E) => State;
}

/**
 * One aggregate, one decider: pure functions, exhaustive over commands and events, carrying the
 * aggregate's name and the payload schema version of each event type it emits.
 */
export interface Decider<State, C extends Command, E extends DomainEvent> extends Fold<State, E> {
  /** Human name of the aggregate, e.g. "lead pipeline": NOT_FOUND messages name it. */
  readonly aggregate: string;
  /** Payload schema version of every event type the decider emits. */
  readonly schemaVersions: Readonly<Record<E['type'], number>>;
  readonly decide: (command: C, state: State) => E[];
}

/** Builds a decider, inferring its types from `initialState`, `evolve` and `decide`. */
export function defineDecider<State, C extends Command, E extends DomainEvent>(decider: Decider<State, C, E>): Decider<State, C, E> {
  return decider;
}

/** The state of a stream's events, folded from the initial state. */
export function foldState<State, E extends DomainEvent>(fold: Fold<State, E>, events: readonly Pick<E, 'type' | 'data'>[]): State {
  return events.reduce((state, e) => fold.evolve(state, { type: e.type, data: e.data } as E), fold.initialState());
}

/** Compile-time exhaustiveness guard for `switch` defaults. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/** The actor of commands a service issues itself (a consumer, an activity): `system:<service>`. */
export function systemActor(service: string): string {
  return `system:${service}`;
}

/** What an automation's command carries over from the message or trigger that caused it. */
export interface AutomationCause {
  /** The conversation the cause belongs to; the request id when absent. */
  readonly correlationId?: string;
  /** The id of the event (or trigger) that caused the command; the request id when absent. */
  readonly causationId?: string;
  /** Hops of automation so far, this command's included. */
  readonly automationDepth?: number;
}

/**
 * The metadata of a command an automation issues: its request id (derived from business keys so a
 * redelivery repeats it), its time, its cause, and the service's system actor unless the message
 * names one. Its actor kind is `service` either way: the service issued it.
 */
export function automationMetadata(input: {
  readonly service: string;
  readonly tenantId: string;
  readonly requestId: string;
  readonly now: Date;
  readonly cause?: AutomationCause;
  readonly actorId?: string;
}): CommandMetadata {
  const { correlationId, causationId, automationDepth } = input.cause ?? {};
  return {
    tenantId: input.tenantId,
    actorId: input.actorId ?? systemActor(input.service),
    actorKind: 'service',
    requestId: input.requestId,
    now: input.now,
    ...(correlationId !== undefined ? { correlationId } : {}),
    ...(causationId !== undefined ? { causationId } : {}),
    ...(automationDepth !== undefined ? { automationDepth } : {}),
  };
}
