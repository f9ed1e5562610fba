import { DomainError, type FieldViolation } from '@projectflo/platform/core';

/** Upper bounds on user-supplied text; hostile input gets INVALID_ARGUMENT, never a crash. */
export const LIMITS = {
  id: 128,
  key: 64,
  eventTypeKey: 100,
  name: 200,
  description: 5_000,
  phase: 100,
  reason: 1_000,
  commentBody: 10_000,
  checklistItems: 100,
  checklistTitle: 500,
  metadataEntries: 50,
  metadataKey: 64,
  metadataValue: 1_000,
  dependsOn: 50,
  subjectDateFields: 20,
  idempotencyKey: 200,
} as const;

/** Template keys and checklist item keys: stable, URL-safe, lower case. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Event type keys such as `wedding.booked`. */
export const EVENT_TYPE_KEY_PATTERN = /^[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)*$/;
/** Subject date field names such as `event_date`. */
export const FIELD_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

/** Collects every violation of a command so the caller sees them all at once. */
export class Violations {
  private readonly list: FieldViolation[] = [];

  add(field: string, description: string): void {
    this.list.push({ field, description });
  }

  get count(): number {
    return this.list.length;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw DomainError.invalid(this.list);
  }
}

export interface TextRule {
  readonly required: boolean;
  readonly max: number;
  readonly pattern?: RegExp;
  readonly patternDescription?: string;
}

/** Checks one text field; returns true when it is usable. */
export function checkText(v: Violations, value: unknown, field: string, rule: TextRule): value is string {
  if (typeof value !== 'string') {
    v.add(field, 'must be a string');
    return false;
  }
  if (rule.required && value.trim().length === 0) {
    v.add(field, 'must not be empty');
    return false;
  }
  if (value.length > rule.max) {
    v.add(field, `must be at most ${rule.max} characters`);
    return false;
  }
  if (rule.pattern && value.length > 0 && !rule.pattern.test(value)) {
    v.add(field, rule.patternDescription ?? `must match ${rule.pattern.source}`);
    return false;
  }
  return true;
}

export function checkId(v: Violations, value: unknown, field: string): value is string {
  return checkText(v, value, field, {
    required: true,
    max: LIMITS.id,
    pattern: /^\S+$/,
    patternDescription: 'must not contain whitespace',
  });
}

export function checkSlug(v: Violations, value: unknown, field: string): value is string {
  return checkText(v, value, field, {
    required: true,
    max: LIMITS.key,
    pattern: SLUG_PATTERN,
    patternDescription: 'must be lower-case letters and digits separated by single hyphens ([a-z0-9-])',
  });
}

export function checkEventTypeKey(v: Violations, value: unknown, field: string): value is string {
  return checkText(v, value, field, {
    required: true,
    max: LIMITS.eventTypeKey,
    pattern: EVENT_TYPE_KEY_PATTERN,
    patternDescription: 'must be dot-separated lower-case segments, e.g. "wedding.booked"',
  });
}

export function checkIntegerInRange(v: Violations, value: unknown, field: string, min: number, max: number): value is number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    v.add(field, 'must be a whole number');
    return false;
  }
  if (value < min) {
    v.add(field, min === 0 ? 'must not be negative' : `must be at least ${min}`);
    return false;
  }
  if (value > max) {
    v.add(field, `must be at most ${max}`);
    return false;
  }
  return true;
}

export function checkOneOf<T extends string>(v: Violations, value: unknown, field: string, allowed: readonly T[]): value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    v.add(field, `must be one of ${allowed.join(', ')}`);
    return false;
  }
  return true;
}

export function checkBoolean(v: Violations, value: unknown, field: string): value is boolean {
  if (typeof value !== 'boolean') {
    v.add(field, 'must be true or false');
    return false;
  }
  return true;
}

/** Optional free text: undefined and null become null; anything else must be a bounded string. */
export function optionalText(v: Violations, value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  return checkText(v, value, field, { required: false, max }) ? value : null;
}
