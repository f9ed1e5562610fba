import type { CommandMetadata } from '@projectflo/platform/core';

/** Shared by the specs: one tenant, one actor, one instant. */
export const TENANT = 'tenant-a';
export const ACTOR = 'system:scheduling';
export const NOW = new Date('2025-06-14T10:00:00.000Z');

export function meta(overrides: Partial<CommandMetadata> = {}): CommandMetadata {
  return { tenantId: TENANT, actorId: ACTOR, actorKind: 'service', requestId: 'request-1', now: NOW, ...overrides };
}
