import { DomainError } from '@projectflo/platform/core';
import { expectedVersionOf } from './versions';

describe('expectedVersionOf', () => {
  it('reads an unset, zero or positive version', () => {
    expect(expectedVersionOf(undefined)).toBeUndefined();
    expect(expectedVersionOf(null)).toBeUndefined();
    expect(expectedVersionOf('0')).toBe(0);
    expect(expectedVersionOf('42')).toBe(42);
  });

  it('rejects negative or non-numeric versions naming the field', () => {
    for (const bad of ['-1', 'abc', '1.5', '9999999999999999999']) {
      expect(() => expectedVersionOf(bad)).toThrow(DomainError);
    }
    try {
      expectedVersionOf('-1', 'template.expected_version');
    } catch (error) {
      expect((error as DomainError).fieldViolations[0]?.field).toBe('template.expected_version');
    }
  });
});
