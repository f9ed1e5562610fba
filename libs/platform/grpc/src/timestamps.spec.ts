import { DomainError } from '@projectflo/platform/core';
import { fromTimestamp, toTimestamp } from './timestamps';

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
});
