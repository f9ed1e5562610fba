import { z } from 'zod';
import { validate } from './zod-validation';

/** google.protobuf.Timestamp as @grpc/proto-loader decodes it (the contracts' Timestamp type). */
export interface Timestamp {
  readonly seconds: string;
  readonly nanos: number;
}

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range google.protobuf.Timestamp defines. */
export const MIN_TIMESTAMP_SECONDS = -62_135_596_800;
export const MAX_TIMESTAMP_SECONDS = 253_402_300_799;
const MAX_NANOS = 999_999_999;

/** True for an ISO instant (or anything Date.parse reads) within the range of a Timestamp. */
export function isTimestampInstant(value: string): boolean {
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= MIN_TIMESTAMP_SECONDS * 1000 && ms < (MAX_TIMESTAMP_SECONDS + 1) * 1000;
}

/** A google.protobuf.Timestamp (int64 seconds as a string, as the loader decodes it) for a Date or ISO string. */
export function toTimestamp(value: Date | string): Timestamp {
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${String(value)}`);
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

/**
 * A set Timestamp field as a Date (millisecond precision), or a violation naming `seconds` or
 * `nanos`: seconds within 0001-01-01..9999-12-31, nanos within [0, 999999999].
 */
export const timestampField = z
  .object({ seconds: z.union([z.string(), z.number()]), nanos: z.number() }, { invalid_type_error: 'must be a timestamp' })
  .superRefine((value, ctx) => {
    const seconds = Number(value.seconds);
    if (!/^-?\d{1,12}$/.test(String(value.seconds)) || seconds < MIN_TIMESTAMP_SECONDS || seconds > MAX_TIMESTAMP_SECONDS) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['seconds'], message: 'must be within 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z' });
    }
    if (!Number.isInteger(value.nanos) || value.nanos < 0 || value.nanos > MAX_NANOS) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['nanos'], message: `must be within 0..${MAX_NANOS}` });
    }
  })
  .transform((value) => new Date(Number(value.seconds) * 1000 + Math.floor(value.nanos / 1_000_000)));

/** An optional Timestamp field: undefined when unset (the loader gives null for an unset message). */
export const optionalTimestamp = timestampField.nullish().transform((v) => v ?? undefined);

/** A Timestamp field the request must set. */
export const requiredTimestamp = z.unknown().superRefine((v, ctx) => {
  if (v === undefined || v === null) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is required' });
}).pipe(timestampField);

/** The Date of a Timestamp; undefined when unset; INVALID_ARGUMENT naming `field` when out of range. */
export function fromTimestamp(value: Timestamp | null | undefined, field = 'timestamp'): Date | undefined {
  return validate(optionalTimestamp, value, { prefix: field });
}
