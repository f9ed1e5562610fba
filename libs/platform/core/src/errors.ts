/**
 * Every failure a command or query can report, as one exception class with a code enum. The
 * gRPC edge maps each code to a status exhaustively (see @projectflo/platform/grpc).
 */
export enum DomainErrorCode {
  InvalidArgument = 'INVALID_ARGUMENT',
  NotFound = 'NOT_FOUND',
  AlreadyExists = 'ALREADY_EXISTS',
  FailedPrecondition = 'FAILED_PRECONDITION',
  VersionConflict = 'VERSION_CONFLICT',
  PermissionDenied = 'PERMISSION_DENIED',
  Unauthenticated = 'UNAUTHENTICATED',
  ResourceExhausted = 'RESOURCE_EXHAUSTED',
}

export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

/** The message of an INVALID_ARGUMENT: every violation as `field: description`. */
export function violationsMessage(violations: readonly FieldViolation[]): string {
  return violations.map((v) => `${v.field}: ${v.description}`).join('; ');
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fieldViolations: readonly FieldViolation[] = [],
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static invalid(violations: FieldViolation[] | FieldViolation): DomainError {
    const list = Array.isArray(violations) ? violations : [violations];
    return new DomainError(DomainErrorCode.InvalidArgument, violationsMessage(list), list);
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError(DomainErrorCode.NotFound, `${what} ${id} was not found`, [], { what, id });
  }

  static alreadyExists(what: string, id: string): DomainError {
    return new DomainError(DomainErrorCode.AlreadyExists, `${what} ${id} already exists`, [], { what, id });
  }

  static precondition(message: string, details: Record<string, unknown> = {}): DomainError {
    return new DomainError(DomainErrorCode.FailedPrecondition, message, [], details);
  }

  static permissionDenied(message: string): DomainError {
    return new DomainError(DomainErrorCode.PermissionDenied, message);
  }
}

/** An append's expected stream version did not match the stream: carries all three facts. */
export class VersionConflictError extends DomainError {
  constructor(
    readonly streamName: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number,
  ) {
    super(
      DomainErrorCode.VersionConflict,
      `version conflict on stream ${streamName}: expected ${String(expectedVersion)}, actual ${actualVersion}`,
      [],
      { streamName, expectedVersion: String(expectedVersion), actualVersion },
    );
    this.name = 'VersionConflictError';
  }
}

/**
 * What an append expects of its stream: an exact version (number of events already in it; 0 is
 * an empty stream), `'no_stream'`, `'stream_exists'` or `'any'`.
 */
export type ExpectedVersion = number | 'no_stream' | 'stream_exists' | 'any';

/**
 * A command's refusal that no retry can change: any DomainError but a version conflict (which a
 * retry re-decides). Automations dead-letter or fail permanently on it instead of retrying.
 */
export function isRejection(error: unknown): error is DomainError {
  return error instanceof DomainError && !(error instanceof VersionConflictError);
}
