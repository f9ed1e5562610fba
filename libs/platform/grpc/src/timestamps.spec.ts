import { DomainError } from '@projectflo/platform/core';
import { fromTimestamp, MAX_TIMESTAMP_SECONDS, MIN_TIMESTAMP_SECONDS, toTimestamp } from './timestamps';

function violations(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.fieldViolations.map((v) => v.field);
    throw error;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('timestamps', () => {
  it('converts both ways with millisecond precision', () => {
    const ts = toTimestamp('2025-03-01T10:00:00.123Z');
    expect(ts).toEqual({ seconds: '1740823200', nanos: 123_000_000 });
    expect(fromTimestamp(ts)?.toISOString()).toBe('2025-03-01T10:00:00.123Z');
    expect(toTimestamp(new Date('1969-12-31T23:59:59.500Z'))).toEqual({ seconds: '-1', nanos: 500_000_000 });
  });

  it('treats an unset timestamp as undefined and a bad one as INVALID_ARGUMENT', () => {
    expect(fromTimestamp(null)).toBeUndefined();
    expect(() => fromTimestamp({ seconds: 'abc', nanos: 0 }, 'due_at')).toThrow(DomainError);
  });

  it('accepts the first and last second of the range protobuf defines', () => {
    expect(fromTimestamp({ seconds: String(MIN_TIMESTAMP_SECONDS), nanos: 0 })?.toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(fromTimestamp({ seconds: String(MAX_TIMESTAMP_SECONDS), nanos: 999_999_999 })?.toISOString()).toBe('9999-12-31T23:59:59.999Z');
  });

  it.each([
    ['year 11476', { seconds: '300000000000', nanos: 0 }, 'due_at.seconds'],
    ['one second before year 1', { seconds: String(MIN_TIMESTAMP_SECONDS - 1), nanos: 0 }, 'due_at.seconds'],
    ['one second after 9999', { seconds: String(MAX_TIMESTAMP_SECONDS + 1), nanos: 0 }, 'due_at.seconds'],
    ['nanos of a whole second', { seconds: '0', nanos: 1_000_000_000 }, 'due_at.nanos'],
    ['negative nanos', { seconds: '0', nanos: -1 }, 'due_at.nanos'],
  ])('rejects %s naming the field', (_, value, field) => {
    expect(violations(() => fromTimestamp(value, 'due_at'))).toEqual([field]);
  });
});
