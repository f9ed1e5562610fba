import { DomainError } from '@projectflo/platform/core';

/** google.protobuf.Timestamp as @grpc/proto-loader decodes it (the contracts' Timestamp type). */
export interface Timestamp {
  readonly seconds: string;
  readonly nanos: number;
}

/** A google.protobuf.Timestamp (int64 seconds as a string, as the loader decodes it) for a Date or ISO string. */
export function toTimestamp(value: Date | string): Timestamp {
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${String(value)}`);
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** The Date of a Timestamp; undefined when unset (the loader gives null for an unset message). */
export function fromTimestamp(value: Timestamp | null | undefined, field = 'timestamp'): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const seconds = Number(value.seconds);
  const date = new Date(seconds * 1000 + Math.floor(value.nanos / 1_000_000));
  if (!Number.isFinite(seconds) || Number.isNaN(date.getTime())) {
    throw DomainError.invalid({ field, description: 'must be a valid timestamp' });
  }
  return date;
}
