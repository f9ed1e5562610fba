import { DomainError, isUuid, type FieldViolation } from '@projectflo/platform/core';
import { DateTime, IANAZone } from 'luxon';

/**
 * Limits on free text. Names follow the brief (200); the others are generous but bounded so that
 * a hostile request cannot grow a stream without limit.
 */
export const TextLimits = {
  name: 200,
  email: 254,
  phone: 50,
  venue: 500,
  source: 200,
  sourceDetails: 2_000,
  description: 2_000,
  reason: 1_000,
  subject: 500,
  noteBody: 10_000,
  communicationContent: 50_000,
  mentions: 50,
} as const;

/** What an email address must look like (the gRPC edge checks it with the same pattern). */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_OFFSET = /T.*(Z|[+-]\d{2}(:?\d{2})?)$/;

/** Absent in the sense of a proto3 scalar: unset, null or the empty string. */
function isAbsent(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Collects every violation of one command before failing, so that a client learns all of its
 * mistakes from one INVALID_ARGUMENT. Field names are the gRPC request's (snake_case paths).
 */
export class FieldValidator {
  private readonly violations: FieldViolation[] = [];

  get ok(): boolean {
    return this.violations.length === 0;
  }

  violation(field: string, description: string): void {
    this.violations.push({ field, description });
  }

  /** Throws INVALID_ARGUMENT with every collected violation, if any. */
  throwIfInvalid(): void {
    if (this.violations.length > 0) throw DomainError.invalid([...this.violations]);
  }

  requiredText(field: string, value: unknown, max: number = TextLimits.name): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.violation(field, 'is required');
      return '';
    }
    return this.bounded(field, value.trim(), max);
  }

  /** Optional text: an absent value becomes null. */
  optionalText(field: string, value: unknown, max: number): string | null {
    if (isAbsent(value)) return null;
    if (typeof value !== 'string') {
      this.violation(field, 'must be a string');
      return null;
    }
    return this.bounded(field, value.trim(), max);
  }

  /** Text that may be empty (kept as ''), e.g. a description. */
  text(field: string, value: unknown, max: number): string {
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') {
      this.violation(field, 'must be a string');
      return '';
    }
    return this.bounded(field, value.trim(), max);
  }

  id(field: string, value: unknown): string {
    if (typeof value !== 'string' || value === '') {
      this.violation(field, 'is required');
      return '';
    }
    if (!isUuid(value)) this.violation(field, 'must be a UUID');
    return value;
  }

  optionalId(field: string, value: unknown): string | null {
    if (isAbsent(value)) return null;
    return this.id(field, value);
  }

  email(field: string, value: unknown): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.violation(field, 'is required');
      return '';
    }
    const email = normalizeEmail(value);
    if (email.length > TextLimits.email) this.violation(field, `must be at most ${TextLimits.email} characters`);
    else if (!EMAIL_PATTERN.test(email)) this.violation(field, 'must be an email address');
    return email;
  }

  /** A calendar date `YYYY-MM-DD` that exists (2025-02-30 does not). */
  isoDate(field: string, value: unknown): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.violation(field, 'is required');
      return '';
    }
    const date = value.trim();
    if (!ISO_DATE.test(date) || !DateTime.fromFormat(date, 'yyyy-MM-dd', { zone: 'utc' }).isValid) {
      this.violation(field, 'must be a date as YYYY-MM-DD');
    }
    return date;
  }

  optionalIsoDate(field: string, value: unknown): string | null {
    if (isAbsent(value)) return null;
    return this.isoDate(field, value);
  }

  /** An ISO-8601 instant with an explicit offset (or Z), returned in UTC. */
  optionalInstant(field: string, value: unknown): string | null {
    if (isAbsent(value)) return null;
    const text = typeof value === 'string' ? value.trim() : '';
    const parsed = DateTime.fromISO(text, { setZone: true });
    if (!INSTANT_OFFSET.test(text) || !parsed.isValid) {
      this.violation(field, 'must be an ISO-8601 timestamp with an offset, e.g. 2025-06-11T14:00:00Z');
      return null;
    }
    return parsed.toUTC().toISO() ?? null;
  }

  /** An IANA zone such as Europe/Paris, returned in its canonical spelling. */
  timezone(field: string, value: unknown): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.violation(field, 'is required');
      return '';
    }
    const zone = value.trim();
    if (!IANAZone.isValidZone(zone)) {
      this.violation(field, 'must be an IANA time zone such as Europe/Paris');
      return zone;
    }
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  }

  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.violation(field, `must be one of ${allowed.join(', ')}`);
      return allowed[0] as T;
    }
    return value as T;
  }

  nonNegativeInteger(field: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      this.violation(field, 'must be a non-negative integer');
      return 0;
    }
    return value;
  }

  /** A list of distinct UUIDs, in the order given. */
  idList(field: string, value: unknown, max: number): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.violation(field, 'must be a list');
      return [];
    }
    if (value.length > max) this.violation(field, `must have at most ${max} entries`);
    const ids: string[] = [];
    value.forEach((entry: unknown, index) => {
      if (typeof entry !== 'string' || !isUuid(entry)) this.violation(`${field}[${index}]`, 'must be a UUID');
      else if (ids.includes(entry)) this.violation(`${field}[${index}]`, 'is a duplicate');
      else ids.push(entry);
    });
    return ids;
  }

  private bounded(field: string, value: string, max: number): string {
    // Counted in code points, as a person counts characters, not in UTF-16 units.
    if ([...value].length > max) this.violation(field, `must be at most ${max} characters`);
    return value;
  }
}
