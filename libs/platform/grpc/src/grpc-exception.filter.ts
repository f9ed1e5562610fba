import { randomUUID } from 'node:crypto';
import { Metadata } from '@grpc/grpc-js';
import { type ArgumentsHost, Catch, Inject, type RpcExceptionFilter } from '@nestjs/common';
import { assertNever } from '@projectflo/platform/core';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { type Observable, throwError } from 'rxjs';
import { toGrpcError } from './grpc-error.mapper';
import { admittedCaller, REQUEST_HEADERS } from './request-context';

/**
 * The one exception filter of every gRPC service: maps whatever a handler threw to a gRPC status
 * (see toGrpcError). Rejections are logged at debug, outages at warn and unexpected errors in full
 * at error, under a reference that the caller also receives.
 */
@Catch()
export class GrpcExceptionFilter implements RpcExceptionFilter<unknown> {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    const metadata = host.getArgByIndex<unknown>(1);
    const call = host.getArgByIndex<unknown>(2);
    const requestId = metadata instanceof Metadata ? firstText(metadata, REQUEST_HEADERS.requestId) : undefined;
    const tenantId = metadata instanceof Metadata ? admittedCaller(metadata)?.tenantId : undefined;
    const method = methodPath(call);
    const mapped = toGrpcError(exception, requestId ?? randomUUID());
    switch (mapped.origin) {
      case 'unexpected':
        this.logger.error('grpc handler failed', { method, tenantId, requestId, err: exception });
        break;
      case 'outage':
        this.logger.warn('grpc call met an infrastructure outage', { method, tenantId, requestId, err: exception });
        break;
      case 'rejected':
        this.logger.debug('grpc call rejected', { method, tenantId, requestId, code: mapped.error.code, reason: mapped.error.message });
        break;
      default:
        assertNever(mapped.origin, 'failure origin');
    }
    return throwError(() => mapped.error);
  }
}

function firstText(metadata: Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === 'string' ? value : undefined;
}

function methodPath(call: unknown): string | undefined {
  if (typeof call !== 'object' || call === null) return undefined;
  const getPath = (call as { getPath?: unknown }).getPath;
  return typeof getPath === 'function' ? String(getPath.call(call)) : undefined;
}
