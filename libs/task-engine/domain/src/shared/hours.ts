import Decimal from 'decimal.js';
import type { Violations } from '@projectflo/platform/core';

/**
 * Hours are exact decimals with at most two places (the seeds' DECIMAL(8,2)), carried in events
 * as canonical strings ("1.50"), never as floats.
 */
const HOURS_PATTERN = /^\d{1,5}(?:\.\d{1,2})?$/;
export const MAX_HOURS = '99999.99';

export type DecimalString = string;

export interface HoursRule {
  /** Whether "0" is acceptable (an effort estimate may be zero; logged work may not). */
  readonly allowZero: boolean;
  readonly max?: DecimalString;
}

/** Validates and canonicalises an hours value; returns undefined (with a violation) when invalid. */
export function parseHours(v: Violations, value: unknown, field: string, rule: HoursRule): DecimalString | undefined {
  if (typeof value !== 'string') {
    v.add(field, 'must be a decimal string such as "1.5"');
    return undefined;
  }
  if (value.trim().startsWith('-')) {
    v.add(field, 'must not be negative');
    return undefined;
  }
  if (!HOURS_PATTERN.test(value)) {
    v.add(field, 'must be a decimal number of hours with at most two decimal places');
    return undefined;
  }
  const hours = new Decimal(value);
  if (!rule.allowZero && hours.isZero()) {
    v.add(field, 'must be greater than zero');
    return undefined;
  }
  if (hours.greaterThan(rule.max ?? MAX_HOURS)) {
    v.add(field, `must be at most ${rule.max ?? MAX_HOURS}`);
    return undefined;
  }
  return hours.toFixed(2);
}

export function addHours(a: DecimalString, b: DecimalString): DecimalString {
  return new Decimal(a).plus(b).toFixed(2);
}
