import { createHash } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { ID_PATTERN, type Principal, type Role, unauthenticated } from '@projectflo/platform/auth';
import { type Clock, type CommandMetadata, DomainError } from '@projectflo/platform/core';
import { type WriteLog, writeLogOf } from './consistency';

/**
 * The gRPC metadata headers of a request (never message fields). Who is calling is not among
 * them: the tenant and the actor come only from the caller's verified token (auth-gate.ts).
 */
export const REQUEST_HEADERS = {
  /**
   * Required on commands: the idempotency key of the command. Repeating it with the same request
   * returns the first result; with a different request it is ALREADY_EXISTS.
   */
  requestId: 'x-request-id',
  correlationId: 'x-correlation-id',
  causationId: 'x-causation-id',
  /** Set by automations (workflows, consumers) that issue commands; a person's call has none. */
  automationDepth: 'x-automation-depth',
} as const;

/** Who is calling (from the verified token), for which tenant, under which request. */
export interface RequestContext {
  readonly tenantId: string;
  /** crm's user id, or `service:<name>` when a service calls with its own identity. */
  readonly actorId: string;
  readonly actorKind: Principal['kind'];
  /** The caller's roles that count: the token's, narrowed to the one the tenant's directory holds. */
  readonly roles: readonly Role[];
  readonly requestId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly automationDepth?: number;
}

/** The context of a command: its request id is required (it makes the command idempotent). */
export interface CommandContext extends RequestContext {
  readonly requestId: string;
  /** What the request asked for (see requestFingerprint): a reused request id must ask the same. */
  readonly requestFingerprint: string;
  /** Where the command executor records what the call writes: its reply's consistency token (consistency.ts). */
  readonly writes?: WriteLog;
}

const ID_RULE = 'must be 1-128 characters of letters, digits and . _ : @ -';

/**
 * The callers the gate let through, by the Metadata object of their call: the object the handler
 * receives, so a caller cannot be claimed by any header.
 */
const callers = new WeakMap<Metadata, Principal>();

/** Called by the gate (auth-gate.ts) once a call's token is verified and authorized, before its handler runs. */
export function admitCaller(metadata: Metadata, principal: Principal): void {
  callers.set(metadata, principal);
}

/** The caller the gate admitted for this call's metadata; undefined for any other metadata. */
export function admittedCaller(metadata: Metadata | undefined): Principal | undefined {
  return metadata === undefined ? undefined : callers.get(metadata);
}

function header(metadata: Metadata | undefined, name: string): string | undefined {
  const values = metadata?.get(name) ?? [];
  if (values.length === 0) return undefined;
  if (values.length > 1) throw DomainError.invalid({ field: name, description: 'must be sent once' });
  const value = values[0];
  const text = typeof value === 'string' ? value : undefined;
  if (text === undefined) throw DomainError.invalid({ field: name, description: 'must be a text header' });
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

function id(metadata: Metadata | undefined, name: string): string | undefined {
  const value = header(metadata, name);
  if (value !== undefined && !ID_PATTERN.test(value)) throw DomainError.invalid({ field: name, description: ID_RULE });
  return value;
}

/**
 * The caller of a query: tenant, actor and roles from the caller the gate admitted (fails closed:
 * UNAUTHENTICATED when there is none), the request's ids from its headers (a malformed header →
 * INVALID_ARGUMENT naming it).
 */
export function queryContext(metadata: Metadata | undefined): RequestContext {
  const caller = admittedCaller(metadata);
  if (caller === undefined) throw unauthenticated('the call has no verified caller');
  const requestId = id(metadata, REQUEST_HEADERS.requestId);
  const correlationId = id(metadata, REQUEST_HEADERS.correlationId);
  const causationId = id(metadata, REQUEST_HEADERS.causationId);
  const depthText = header(metadata, REQUEST_HEADERS.automationDepth);
  let automationDepth: number | undefined;
  if (depthText !== undefined) {
    if (!/^\d{1,4}$/.test(depthText)) {
      throw DomainError.invalid({ field: REQUEST_HEADERS.automationDepth, description: 'must be a non-negative integer' });
    }
    // Only a service's automation continues a chain; a person's call starts one at depth 0, so a
    // user cannot claim a depth (and so switch the loop guard's automations off for their change).
    if (caller.kind === 'service') automationDepth = Number(depthText);
  }
  return {
    tenantId: caller.tenantId,
    actorId: caller.userId,
    actorKind: caller.kind,
    roles: caller.roles,
    ...(requestId !== undefined ? { requestId } : {}),
    ...(correlationId !== undefined ? { correlationId } : {}),
    ...(causationId !== undefined ? { causationId } : {}),
    ...(automationDepth !== undefined ? { automationDepth } : {}),
  };
}

/**
 * Reads the caller from a command's metadata (as queryContext; `x-request-id` is required) and
 * fingerprints the request it carries, with its actor.
 */
export function commandContext(metadata: Metadata | undefined, request: unknown): CommandContext {
  const context = queryContext(metadata);
  if (context.requestId === undefined) {
    throw DomainError.invalid({ field: REQUEST_HEADERS.requestId, description: 'is required on commands (the idempotency key)' });
  }
  // The actor is part of what was asked: another user repeating someone's request id (with the
  // same body) is a different request (ALREADY_EXISTS), not a replay that returns their result.
  return {
    ...context,
    requestId: context.requestId,
    requestFingerprint: requestFingerprint({ actor: context.actorId, request }),
    ...(metadata !== undefined ? { writes: writeLogOf(metadata) } : {}),
  };
}

/** JSON with object keys sorted, so equal requests always serialize alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 of the request as decoded (every field, defaults included): equal requests, equal fingerprints. */
export function requestFingerprint(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/** The core CommandMetadata of a command, timed by the given clock. */
export function toCommandMetadata(context: CommandContext, clock: Clock): CommandMetadata {
  return {
    tenantId: context.tenantId,
    actorId: context.actorId,
    actorKind: context.actorKind,
    requestId: context.requestId,
    requestFingerprint: context.requestFingerprint,
    now: clock.now(),
    ...(context.correlationId !== undefined ? { correlationId: context.correlationId } : {}),
    ...(context.causationId !== undefined ? { causationId: context.causationId } : {}),
    ...(context.automationDepth !== undefined ? { automationDepth: context.automationDepth } : {}),
  };
}
