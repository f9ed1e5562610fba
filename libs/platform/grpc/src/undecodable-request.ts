import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { DomainError } from '@projectflo/platform/core';

/*
 * grpc-js answers INTERNAL when a request body cannot be decoded, yet the fault is the caller's.
 * The server's deserializers are wrapped so that such a body reaches the handler as a marker,
 * which DecodableRequestGuard turns into INVALID_ARGUMENT before any handler code runs.
 */

const UNDECODABLE = Symbol('projectflo.undecodableRequest');

interface UndecodableRequest {
  readonly [UNDECODABLE]: string;
}

type Deserialize = (bytes: Buffer) => unknown;

/** The deserializer `deserialize` that returns a marker instead of throwing on bytes it cannot decode. */
export function decodingSafely(deserialize: Deserialize): Deserialize {
  return (bytes) => {
    try {
      return deserialize(bytes);
    } catch (error) {
      const marker: UndecodableRequest = { [UNDECODABLE]: error instanceof Error ? error.message : String(error) };
      return Object.freeze(marker);
    }
  };
}

export function isUndecodable(request: unknown): request is UndecodableRequest {
  return typeof request === 'object' && request !== null && UNDECODABLE in request;
}

/** Replaces every request deserializer of the services in a proto-loader package definition. */
export function decodeRequestsSafely(definition: Readonly<Record<string, object>>): void {
  for (const service of Object.values(definition)) {
    if ('format' in service) continue; // a message or enum type, not a service
    for (const method of Object.values(service as Record<string, { requestDeserialize?: Deserialize }>)) {
      if (typeof method.requestDeserialize === 'function') method.requestDeserialize = decodingSafely(method.requestDeserialize);
    }
  }
}

/** Global guard: an undecodable body is INVALID_ARGUMENT (with the decoder's reason), never INTERNAL. */
@Injectable()
export class DecodableRequestGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request: unknown = context.switchToRpc().getData();
    if (isUndecodable(request)) {
      throw DomainError.invalid({ field: '(request)', description: `is not a valid protobuf message of this method (${request[UNDECODABLE]})` });
    }
    return true;
  }
}
