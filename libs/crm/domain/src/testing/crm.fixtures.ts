import type { CommandMetadata } from '@projectflo/platform/core';

/** Test-only fixtures (not exported from the library). */
export const TENANT = '0b6f7c52-5a0e-4d8a-9d55-7a3f3b0c1a01';
export const ACTOR = '2c1d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
export const NOW = new Date('2025-06-11T09:30:00.000Z');
export const AT = NOW.toISOString();

export function meta(overrides: Partial<CommandMetadata> = {}): CommandMetadata {
  return { tenantId: TENANT, actorId: ACTOR, actorKind: 'user', requestId: 'req-1', now: NOW, ...overrides };
}

/** A string of `length` characters, for length limits. */
export function chars(length: number): string {
  return 'x'.repeat(length);
}

/** Deterministic, valid v4-shaped UUIDs for readable tests: uuid(1) → 00000000-0000-4000-8000-000000000001. */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}
