import { DomainError } from '@projectflo/platform/core';

/**
 * The `optional int64 expected_version` of a command (a decimal string from the loader) as the
 * number core's handleCommand expects; undefined when the client did not pin a version.
 */
export function expectedVersionOf(value: string | null | undefined, field = 'expected_version'): number | undefined {
  if (value === undefined || value === null) return undefined;
  const version = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(version)) throw DomainError.invalid({ field, description: 'must be a non-negative integer' });
  return version;
}
