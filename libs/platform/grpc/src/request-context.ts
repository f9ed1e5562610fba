import { createHash } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { type Clock, type CommandMetadata, DomainError, DomainErrorCode } from '@projectflo/platform/core';

/** The gRPC metadata headers that say who is calling (never message fields). */
export const REQUEST_HEADERS = {
  tenantId: 'x-tenant-id',
  actorId: 'x-actor-id',
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

/** Who is calling, for which tenant, under which request: read from the call's metadata. */
export interface RequestContext {
  readonly tenantId: string;
  readonly actorId: string;
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
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const ID_RULE = 'must be 1-128 characters of letters, digits and . _ : @ -';
/** The tenant id format of every call (common.proto): a UUID in lower case, e.g. 5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b. */
export const TENANT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TENANT_ID_RULE = 'must be a UUID in lower case, e.g. 5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';

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

function id(metadata: Metadata | undefined, name: string, pattern = ID, rule = ID_RULE): string | undefined {
  const value = header(metadata, name);
  if (value !== undefined && !pattern.test(value)) throw DomainError.invalid({ field: name, description: rule });
  return value;
}

function unauthenticated(name: string): DomainError {
  return new DomainError(DomainErrorCode.Unauthenticated, `missing ${name} metadata`, [], { header: name });
}

/**
 * Reads the caller from a query's metadata. Missing tenant or actor → UNAUTHENTICATED; a
 * malformed header → INVALID_ARGUMENT naming the header.
 */
export function queryContext(metadata: Metadata | undefined): RequestContext {
  const tenantId = id(metadata, REQUEST_HEADERS.tenantId, TENANT_ID_PATTERN, TENANT_ID_RULE);
  if (tenantId === undefined) throw unauthenticated(REQUEST_HEADERS.tenantId);
  const actorId = id(metadata, REQUEST_HEADERS.actorId);
  if (actorId === undefined) throw unauthenticated(REQUEST_HEADERS.actorId);
  const requestId = id(metadata, REQUEST_HEADERS.requestId);
  const correlationId = id(metadata, REQUEST_HEADERS.correlationId);
  const causationId = id(metadata, REQUEST_HEADERS.causationId);
  const depthText = header(metadata, REQUEST_HEADERS.automationDepth);
  let automationDepth: number | undefined;
  if (depthText !== undefined) {
    if (!/^\d{1,4}$/.test(depthText)) {
      throw DomainError.invalid({ field: REQUEST_HEADERS.automationDepth, description: 'must be a non-negative integer' });
    }
    automationDepth = Number(depthText);
  }
  return {
    tenantId,
    actorId,
    ...(requestId !== undefined ? { requestId } : {}),
    ...(correlationId !== undefined ? { correlationId } : {}),
    ...(causationId !== undefined ? { causationId } : {}),
    ...(automationDepth !== undefined ? { automationDepth } : {}),
  };
}

/**
 * Reads the caller from a command's metadata (as queryContext; `x-request-id` is required) and
 * fingerprints the request it carries.
 */
export function commandContext(metadata: Metadata | undefined, request: unknown): CommandContext {
  const context = queryContext(metadata);
  if (context.requestId === undefined) {
    throw DomainError.invalid({ field: REQUEST_HEADERS.requestId, description: 'is required on commands (the idempotency key)' });
  }
  return { ...context, requestId: context.requestId, requestFingerprint: requestFingerprint(request) };
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
    requestId: context.requestId,
    requestFingerprint: context.requestFingerprint,
    now: clock.now(),
    ...(context.correlationId !== undefined ? { correlationId: context.correlationId } : {}),
    ...(context.causationId !== undefined ? { causationId: context.causationId } : {}),
    ...(context.automationDepth !== undefined ? { automationDepth: context.automationDepth } : {}),
  };
}
