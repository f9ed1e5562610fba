import { randomUUID } from 'node:crypto';
import { CONSISTENCY_HEADER } from '@projectflo/platform/grpc';
import { Caller } from '@projectflo/platform/testing';

/** A fresh tenant and its owner; each call's headers carry the owner's token and a new request id unless one is given. */
export function newTenant(actorId: string = randomUUID()) {
  const owner = new Caller(randomUUID(), actorId);
  return {
    tenantId: owner.tenantId,
    actorId,
    headers(requestId: string = randomUUID()): Record<string, string> {
      return owner.command(requestId);
    },
    /** Headers of a query that answers only once the read model has what the token's command wrote. */
    readAfter(token: string): Record<string, string> {
      return { ...owner.query(), [CONSISTENCY_HEADER]: token };
    },
  };
}
