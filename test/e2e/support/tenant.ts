import { randomUUID } from 'node:crypto';

/** A fresh tenant and actor; each call's headers get a new request id unless one is given. */
export function newTenant(actorId: string = randomUUID()) {
  const tenantId = randomUUID();
  return {
    tenantId,
    actorId,
    headers(requestId: string = randomUUID()): Record<string, string> {
      return { 'x-tenant-id': tenantId, 'x-actor-id': actorId, 'x-request-id': requestId };
    },
  };
}
