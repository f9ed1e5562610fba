import { Metadata, status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import { DomainError, DomainErrorCode, VersionConflictError } from '@projectflo/platform/core';
import { z } from 'zod';
import { grpcStatusOf, toGrpcError, unimplemented } from './grpc-error.mapper';
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
    const { error: mapped, unexpected } = toGrpcError(error, 'ref');
    expect(unexpected).toBe(false);
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
    const { error, unexpected } = toGrpcError(new Error('connection to 10.0.0.5:5432 refused, password=hunter2'), 'req-9');
    expect(unexpected).toBe(true);
    expect(error.code).toBe(status.INTERNAL);
    expect(error.details).toBe('internal error (reference req-9)');
    expect(error.details).not.toContain('hunter2');
    expect(toGrpcError('a string', 'r').error.code).toBe(status.INTERNAL);
    expect(toGrpcError(new RpcException('text only'), 'r').error.code).toBe(status.INTERNAL);
  });

  it('maps a stray ZodError to INVALID_ARGUMENT', () => {
    const result = z.object({ leadId: z.string().uuid() }).safeParse({ leadId: 'x' });
    if (result.success) throw new Error('expected failure');
    const { error } = toGrpcError(result.error, 'r');
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(detailsOf(error.metadata).fieldViolations[0]?.field).toBe('lead_id');
  });

  it('passes through an RpcException carrying a gRPC status, such as UNIMPLEMENTED', () => {
    let thrown: unknown;
    try {
      unimplemented('CaptureLead');
    } catch (error) {
      thrown = error;
    }
    const { error, unexpected } = toGrpcError(thrown, 'r');
    expect(unexpected).toBe(false);
    expect(error.code).toBe(status.UNIMPLEMENTED);
    expect(error.details).toBe('CaptureLead is not implemented yet');
  });
});
