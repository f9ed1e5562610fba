import { EMAIL_PATTERN, normalizeEmail, TextLimits } from '@projectflo/crm/domain';
import { DomainError, DomainErrorCode } from '@projectflo/platform/core';
import { text, toTimestamp, type Timestamp } from '@projectflo/platform/grpc';

/*
 * Translation between the gRPC contract (proto enums, Timestamps, int64 strings, proto3 defaults)
 * and the crm domain (plain strings, ISO instants, numbers). Nothing here decides anything.
 */

/** A required email address (any case, surrounding blanks allowed: the domain normalises it). */
export const emailField = text(TextLimits.email, { required: true }).refine(
  (v) => EMAIL_PATTERN.test(normalizeEmail(v)),
  'must be an email address',
);

/** Maps a proto enum name to the domain's value; the UNSPECIFIED (or unknown) name maps to undefined. */
export function enumToDomain<P extends string, D extends string>(table: Readonly<Record<string, D>>, value: P | null | undefined): D | undefined {
  if (value === undefined || value === null) return undefined;
  return table[value];
}

/** The proto enum name of a domain value, or the UNSPECIFIED name when the value is unknown. */
export function enumToProto<P extends string, D extends string>(table: Readonly<Record<string, D>>, value: D | string, unspecified: P): P {
  const found = Object.entries(table).find(([, d]) => d === value);
  return (found?.[0] as P | undefined) ?? unspecified;
}

export function timestamp(value: Date | string | null | undefined): Timestamp | undefined {
  return value === null || value === undefined ? undefined : toTimestamp(value);
}

export function int64(value: number): string {
  return String(value);
}

/**
 * Runs a domain step and renames the fields of its INVALID_ARGUMENT to the request's field names,
 * where the domain's names differ from the proto's (e.g. `company_name` → `company`).
 */
export async function withProtoFieldNames<R>(renames: Readonly<Record<string, string>>, step: () => Promise<R>): Promise<R> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof DomainError && error.code === DomainErrorCode.InvalidArgument && error.fieldViolations.length > 0) {
      throw DomainError.invalid(error.fieldViolations.map((v) => ({ field: renames[v.field] ?? v.field, description: v.description })));
    }
    throw error;
  }
}
