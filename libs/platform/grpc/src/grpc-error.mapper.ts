import { Metadata, status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import { assertNever, DomainError, DomainErrorCode, isInfrastructureOutage, VersionConflictError, violationsMessage } from '@projectflo/platform/core';
import { ConsistencyNotReached } from './consistency';
import { encodeStatusDetails, STATUS_DETAILS_KEY, type FieldViolationDetail } from './status-details';
import { isZodError, protoFieldName, zodToDomainError } from './zod-validation';

/** The error domain of google.rpc.ErrorInfo for every ProjectFlo error. */
export const ERROR_DOMAIN = 'projectflo';

/** Trailers of an ABORTED version conflict, so clients can reload and retry without parsing text. */
export const VERSION_CONFLICT_TRAILERS = {
  streamName: 'x-stream-name',
  expectedVersion: 'x-expected-version',
  actualVersion: 'x-actual-version',
} as const;

/** What grpc-js accepts as a call's error: code, text and trailers. */
export interface GrpcError {
  readonly code: status;
  readonly message: string;
  readonly details: string;
  readonly metadata: Metadata;
}

/**
 * Why a call failed, which says how to log it: `rejected` (the caller's request, answered with
 * its reason), `outage` (infrastructure unavailable: UNAVAILABLE, the caller retries) or
 * `unexpected` (a bug: log it in full; the caller saw only a reference).
 */
export type FailureOrigin = 'rejected' | 'outage' | 'unexpected';

export interface MappedError {
  readonly error: GrpcError;
  readonly origin: FailureOrigin;
}

/** Exhaustive: a new DomainErrorCode does not compile until it has a status. */
export function grpcStatusOf(code: DomainErrorCode): status {
  switch (code) {
    case DomainErrorCode.InvalidArgument:
      return status.INVALID_ARGUMENT;
    case DomainErrorCode.NotFound:
      return status.NOT_FOUND;
    case DomainErrorCode.AlreadyExists:
      return status.ALREADY_EXISTS;
    case DomainErrorCode.FailedPrecondition:
      return status.FAILED_PRECONDITION;
    case DomainErrorCode.VersionConflict:
      return status.ABORTED;
    case DomainErrorCode.PermissionDenied:
      return status.PERMISSION_DENIED;
    case DomainErrorCode.Unauthenticated:
      return status.UNAUTHENTICATED;
    case DomainErrorCode.ResourceExhausted:
      return status.RESOURCE_EXHAUSTED;
    default:
      return assertNever(code, 'DomainErrorCode');
  }
}

function build(code: status, message: string, violations: readonly FieldViolationDetail[], reason: string, facts: Record<string, string>, trailers = new Metadata()): GrpcError {
  trailers.set(
    STATUS_DETAILS_KEY,
    encodeStatusDetails({ code, message, fieldViolations: violations, errorInfo: { reason, domain: ERROR_DOMAIN, metadata: facts } }),
  );
  return { code, message, details: message, metadata: trailers };
}

function stringFacts(details: Readonly<Record<string, unknown>>): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') facts[key] = String(value);
  }
  return facts;
}

function fromDomainError(error: DomainError): GrpcError {
  const code = grpcStatusOf(error.code);
  const facts = stringFacts(error.details);
  if (error instanceof VersionConflictError) {
    const trailers = new Metadata();
    trailers.set(VERSION_CONFLICT_TRAILERS.streamName, error.streamName);
    trailers.set(VERSION_CONFLICT_TRAILERS.expectedVersion, String(error.expectedVersion));
    trailers.set(VERSION_CONFLICT_TRAILERS.actualVersion, String(error.actualVersion));
    return build(code, error.message, [], error.code, facts, trailers);
  }
  if (error.fieldViolations.length === 0) return build(code, error.message, [], error.code, facts);
  // Domains name fields in their own language (camelCase); callers read the proto's names.
  const violations = error.fieldViolations.map((v) => ({ field: protoFieldName(v.field), description: v.description }));
  const message = error.message === violationsMessage(error.fieldViolations) ? violationsMessage(violations) : error.message;
  return build(code, message, violations, error.code, facts);
}

/** An RpcException whose payload already is a gRPC status (e.g. UNIMPLEMENTED) passes through. */
function fromRpcException(exception: RpcException): GrpcError | undefined {
  const payload = exception.getError();
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { code, message } = payload as { code?: unknown; message?: unknown };
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 1 || code > 16) return undefined;
  const text = typeof message === 'string' ? message : status[code] ?? 'error';
  return build(code, text, [], status[code] ?? 'UNKNOWN', {});
}

/**
 * Maps anything a handler threw to the status the caller sees. Domain errors keep their message
 * (it is written for callers) plus google.rpc details. An infrastructure outage (Postgres,
 * Temporal or Kafka unavailable: core's `isInfrastructureOutage`, the rule consumers wait on) is
 * UNAVAILABLE: the caller may retry, with the same x-request-id, and a command that did commit
 * before the outage answers the retry with its first result. Anything else becomes INTERNAL.
 * Neither of the last two carries more than a reference, so internals never leak.
 */
export function toGrpcError(exception: unknown, reference: string): MappedError {
  if (exception instanceof DomainError) return { error: fromDomainError(exception), origin: 'rejected' };
  if (isZodError(exception)) return { error: fromDomainError(zodToDomainError(exception)), origin: 'rejected' };
  if (exception instanceof ConsistencyNotReached) {
    const code = exception.ending === 'deadline' ? status.DEADLINE_EXCEEDED : status.UNAVAILABLE;
    return { error: build(code, exception.message, [], 'CONSISTENCY_NOT_REACHED', { waitedMs: String(exception.waitedMs) }), origin: 'rejected' };
  }
  if (exception instanceof RpcException) {
    const passed = fromRpcException(exception);
    if (passed) return { error: passed, origin: 'rejected' };
  }
  if (isInfrastructureOutage(exception)) {
    const message = `a service this call needs is unavailable; retry with the same x-request-id (reference ${reference})`;
    return { error: build(status.UNAVAILABLE, message, [], 'UNAVAILABLE', { reference }), origin: 'outage' };
  }
  return {
    error: build(status.INTERNAL, `internal error (reference ${reference})`, [], 'INTERNAL', { reference }),
    origin: 'unexpected',
  };
}
