import { z } from 'zod';
import { validate } from './zod-validation';

/**
 * The `optional int64 expected_version` of a command (a decimal string from the loader) as the
 * number core's handleCommand expects; undefined when the client did not pin a version.
 */
export const expectedVersion = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a non-negative integer')
  .nullish()
  .transform((v) => (v === undefined || v === null ? undefined : Number(v)));

export function expectedVersionOf(value: string | null | undefined, field = 'expected_version'): number | undefined {
  return validate(expectedVersion, value, { prefix: field });
}

/**
 * A server-assigned int64 (a stream version) that a request may echo back and the server
 * ignores: the loader gives its decimal text, which is all this accepts.
 */
export const echoedInt64 = z.string().regex(/^-?\d{1,19}$/, 'must be an int64');
