import { DomainError, DomainErrorCode } from '@projectflo/platform/core';
import type { ExecutionContext } from '@nestjs/common';
import { fromJSON } from '@grpc/proto-loader';
import { GRPC_LOADER_OPTIONS } from './grpc-options';
import { DecodableRequestGuard, decodeRequestsSafely, isUndecodable } from './undecodable-request';

const rpcContext = (data: unknown) => ({ switchToRpc: () => ({ getData: () => data }) }) as unknown as ExecutionContext;

describe('undecodable requests', () => {
  const definition = fromJSON(
    {
      nested: {
        t: {
          nested: {
            Req: { fields: { taskId: { type: 'string', id: 1 } } },
            Svc: { methods: { RescheduleTask: { requestType: 'Req', responseType: 'Req', comment: '' } } },
          },
        },
      },
    },
    GRPC_LOADER_OPTIONS,
  );
  decodeRequestsSafely(definition);
  const rescheduleTask = (definition['t.Svc'] as Record<string, { requestDeserialize: (b: Buffer) => unknown }>)['RescheduleTask']!;

  it('decodes a valid body as before', () => {
    const decoded = rescheduleTask.requestDeserialize(Buffer.from([0x0a, 0x01, 0x61])) as { taskId: string };
    expect(isUndecodable(decoded)).toBe(false);
    expect(decoded.taskId).toBe('a');
  });

  it('turns 12 bytes of 0xff into a marker that the guard rejects as INVALID_ARGUMENT', () => {
    const decoded = rescheduleTask.requestDeserialize(Buffer.alloc(12, 0xff));
    expect(isUndecodable(decoded)).toBe(true);
    let error: unknown;
    try {
      new DecodableRequestGuard().canActivate(rpcContext(decoded));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(DomainErrorCode.InvalidArgument);
    expect((error as DomainError).fieldViolations[0]?.field).toBe('(request)');
  });

  it('lets a decoded request through', () => {
    expect(new DecodableRequestGuard().canActivate(rpcContext({ taskId: 'a' }))).toBe(true);
  });
});
