import { Metadata, status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import { DomainError, DomainErrorCode, VersionConflictError } from '@projectflo/platform/core';
import { z } from 'zod';
import { grpcStatusOf, toGrpcError } from './grpc-error.mapper';
import { decodeStatusDetails, STATUS_DETAILS_KEY } from './status-details';

function detailsOf(metadata: Metadata) {
  const [bin] = metadata.get(STATUS_DETAILS_KEY);
  if (!Buffer.isBuffer(bin)) throw new Error('no status details');
  return decodeStatusDetails(bin);
}

describe('grpcStatusOf', () => {
  it.each([
    [DomainErrorCode.InvalidArgument, status.INVALID_ARGUMENT],
    [DomainErrorCode.NotFound, status.NOT_FOUND],
    [DomainErrorCode.AlreadyExists, status.ALREADY_EXISTS],
    [DomainErrorCode.FailedPrecondition, status.FAILED_PRECONDITION],
    [DomainErrorCode.VersionConflict, status.ABORTED],
    [DomainErrorCode.PermissionDenied, status.PERMISSION_DENIED],
    [DomainErrorCode.Unauthenticated, status.UNAUTHENTICATED],
    [DomainErrorCode.ResourceExhausted, status.RESOURCE_EXHAUSTED],
  ])('maps %s to %s', (code, expected) => {
    expect(grpcStatusOf(code)).toBe(expected);
  });

  it('covers every DomainErrorCode', () => {
    for (const code of Object.values(DomainErrorCode)) expect(() => grpcStatusOf(code)).not.toThrow();
  });
});

describe('toGrpcError', () => {
  it('turns field violations into a readable message and a google.rpc.BadRequest', () => {
    const error = DomainError.invalid([
      { field: 'lead.name', description: 'must not be empty' },
      { field: 'templates[0].key', description: 'is required' },
    ]);
    const { error: mapped, origin } = toGrpcError(error, 'ref');
    expect(origin).toBe('rejected');
    expect(mapped.code).toBe(status.INVALID_ARGUMENT);
    expect(mapped.details).toBe('lead.name: must not be empty; templates[0].key: is required');
    const details = detailsOf(mapped.metadata);
    expect(details.code).toBe(status.INVALID_ARGUMENT);
    expect(details.message).toBe(mapped.details);
    expect(details.fieldViolations).toEqual([
      { field: 'lead.name', description: 'must not be empty' },
      { field: 'templates[0].key', description: 'is required' },
    ]);
    expect(details.errorInfo).toEqual({ reason: 'INVALID_ARGUMENT', domain: 'projectflo', metadata: {} });
  });

  it("names the proto's fields for a domain's camelCase field names, in the details and the message", () => {
    const error = DomainError.invalid([
      { field: 'firstName', description: 'is required' },
      { field: 'templates[0].dueOffset.days', description: 'must not be negative' },
    ]);
    const { error: mapped } = toGrpcError(error, 'ref');
    expect(detailsOf(mapped.metadata).fieldViolations.map((v) => v.field)).toEqual(['first_name', 'templates[0].due_offset.days']);
    expect(mapped.details).toBe('first_name: is required; templates[0].due_offset.days: must not be negative');
  });

  it('reports a version conflict as ABORTED with stream, expected and actual in text, trailers and ErrorInfo', () => {
    const { error } = toGrpcError(new VersionConflictError('lead-42', 3, 5), 'ref');
    expect(error.code).toBe(status.ABORTED);
    expect(error.details).toContain('lead-42');
    expect(error.details).toContain('expected 3');
    expect(error.details).toContain('actual 5');
    expect(error.metadata.get('x-stream-name')).toEqual(['lead-42']);
    expect(error.metadata.get('x-expected-version')).toEqual(['3']);
    expect(error.metadata.get('x-actual-version')).toEqual(['5']);
    expect(detailsOf(error.metadata).errorInfo?.metadata).toEqual({ streamName: 'lead-42', expectedVersion: '3', actualVersion: '5' });
  });

  it.each([
    [DomainError.notFound('lead', 'l-1'), status.NOT_FOUND, 'lead l-1 was not found'],
    [DomainError.alreadyExists('contact', 'a@b.c'), status.ALREADY_EXISTS, 'contact a@b.c already exists'],
    [DomainError.precondition('lead is archived'), status.FAILED_PRECONDITION, 'lead is archived'],
    [DomainError.permissionDenied('not your lead'), status.PERMISSION_DENIED, 'not your lead'],
    [new DomainError(DomainErrorCode.Unauthenticated, 'missing x-tenant-id metadata'), status.UNAUTHENTICATED, 'missing x-tenant-id metadata'],
    [new DomainError(DomainErrorCode.ResourceExhausted, 'automation depth exceeded'), status.RESOURCE_EXHAUSTED, 'automation depth exceeded'],
  ])('keeps the message of %s', (error, code, message) => {
    const { error: mapped } = toGrpcError(error, 'ref');
    expect(mapped.code).toBe(code);
    expect(mapped.details).toBe(message);
  });

  it('hides unexpected errors behind INTERNAL and a reference', () => {
    const { error, origin } = toGrpcError(new Error('connection to 10.0.0.5:5432 refused, password=hunter2'), 'req-9');
    expect(origin).toBe('unexpected');
    expect(error.code).toBe(status.INTERNAL);
    expect(error.details).toBe('internal error (reference req-9)');
    expect(error.details).not.toContain('hunter2');
    expect(toGrpcError('a string', 'r').error.code).toBe(status.INTERNAL);
    expect(toGrpcError(new RpcException('text only'), 'r').error.code).toBe(status.INTERNAL);
  });

  /** A driver error as MikroORM rethrows it: the SQLSTATE or socket code copied onto its own class. */
  const driverError = (message: string, code?: string) => Object.assign(new Error(message), { name: 'DriverException', ...(code ? { code } : {}) });

  it.each([
    ['Postgres shutting down', driverError('the database system is shutting down', '57P03')],
    ['an administrator terminating the connection', driverError('terminating connection due to administrator command', '57P01')],
    ['a client that lost its connection', driverError('Client has encountered a connection error and is not queryable')],
    ['a refused connection', Object.assign(new AggregateError([driverError('connect ECONNREFUSED 127.0.0.1:55432', 'ECONNREFUSED')]), { code: 'ECONNREFUSED' })],
    ['a socket error wrapped as a cause', new Error('Failed to start Workflow', { cause: driverError('connect ECONNREFUSED 127.0.0.1:7233', 'ECONNREFUSED') })],
  ])('answers an infrastructure outage UNAVAILABLE, retryable with the same request id: %s', (_what, outage) => {
    const { error, origin } = toGrpcError(outage, 'req-7');
    expect(origin).toBe('outage');
    expect(error.code).toBe(status.UNAVAILABLE);
    expect(error.details).toBe('a service this call needs is unavailable; retry with the same x-request-id (reference req-7)');
    expect(error.details).not.toContain('55432');
    expect(detailsOf(error.metadata).errorInfo).toEqual({ reason: 'UNAVAILABLE', domain: 'projectflo', metadata: { reference: 'req-7' } });
  });

  it.each([
    ['a value Postgres cannot store', driverError('invalid byte sequence for encoding "UTF8": 0x00', '22021')],
    ['a unique violation', driverError('duplicate key value violates unique constraint', '23505')],
  ])('keeps a deterministic database error INTERNAL: %s', (_what, failure) => {
    expect(toGrpcError(failure, 'r').error.code).toBe(status.INTERNAL);
  });

  it('maps a stray ZodError to INVALID_ARGUMENT', () => {
    const result = z.object({ leadId: z.string().uuid() }).safeParse({ leadId: 'x' });
    if (result.success) throw new Error('expected failure');
    const { error } = toGrpcError(result.error, 'r');
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(detailsOf(error.metadata).fieldViolations[0]?.field).toBe('lead_id');
  });

  it('passes through an RpcException carrying a gRPC status, such as UNIMPLEMENTED', () => {
    const { error, origin } = toGrpcError(new RpcException({ code: status.UNIMPLEMENTED, message: 'CaptureLead is not implemented yet' }), 'r');
    expect(origin).toBe('rejected');
    expect(error.code).toBe(status.UNIMPLEMENTED);
    expect(error.details).toBe('CaptureLead is not implemented yet');
  });
});
