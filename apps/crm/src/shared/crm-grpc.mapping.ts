import { EMAIL_PATTERN, MAX_EMAIL_LENGTH, normalizeEmail } from '@projectflo/platform/core';
import { text, toTimestamp, type Timestamp } from '@projectflo/platform/grpc';

/*
 * Translation between the gRPC contract (Timestamps, int64 strings, proto3 defaults) and the crm
 * domain (ISO instants, numbers). Enums are mapped by their tables (enumMapping) beside each
 * feature; field names by the edge itself. Nothing here decides anything.
 */

/** A required email address (any case, surrounding blanks allowed: the domain normalises it). */
export const emailField = text(MAX_EMAIL_LENGTH, { required: true }).refine(
  (v) => EMAIL_PATTERN.test(normalizeEmail(v)),
  'must be an email address',
);

export function timestamp(value: Date | string | null | undefined): Timestamp | undefined {
  return value === null || value === undefined ? undefined : toTimestamp(value);
}

export function int64(value: number): string {
  return String(value);
}
