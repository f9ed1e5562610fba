/*
 * Usage — a decider checks a command's fields with one collector and fails once, listing them all:
 *
 *   const v = new Violations();
 *   const name = v.text('name', d.name, { max: 200, required: true });
 *   const venue = v.optionalText('venue', d.venue, { max: 500 });
 *   const leadId = v.uuid('leadId', d.leadId);
 *   const subjectId = v.identifier('subjectId', d.subjectId, 128); // an id chosen elsewhere, not a UUID
 *   const temperature = v.oneOf('temperature', d.temperature, LeadTemperatures);
 *   v.throwIfAny(); // INVALID_ARGUMENT with every violation
 *
 * Field names are the domain's (camelCase paths such as `mentions[2]`); the gRPC edge maps them to
 * the proto's names once (protoFieldName in @projectflo/platform/grpc). Text is trimmed (unless its
 * rule says `trim: false`: a key compared rather than read) and its length counted in code points
 * (codePointLength), the one way a length is counted everywhere.
 */
import { DateTime, IANAZone } from 'luxon';
import { DomainError, type FieldViolation } from './errors';
import { isUuid } from './ids';

/** A string's length as a person counts characters: code points, not UTF-16 units. */
export function codePointLength(value: string): number {
  let length = 0;
  for (const _ of value) length++;
  return length;
}

export interface TextRule {
  readonly max: number;
  /** Absent, empty or blank is "is required". */
  readonly required?: boolean;
  /** Checked on non-empty text. */
  readonly pattern?: RegExp;
  readonly patternDescription?: string;
  /** False for text that is compared rather than read (a key, an id): kept exactly as given. Default true. */
  readonly trim?: boolean;
}

/** Absent in the sense of a proto3 scalar: unset, null or blank text. */
function isAbsent(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

const NO_WHITESPACE = /^\S+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_WITH_OFFSET = /T.*(Z|[+-]\d{2}(:?\d{2})?)$/;
/** What an email address must look like (the gRPC edge checks it with the same pattern). */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The longest email address (RFC 5321). */
export const MAX_EMAIL_LENGTH = 254;

/** An email address as it is compared and stored: trimmed, lower case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Collects every violation of one command, so a client learns all of its mistakes from one INVALID_ARGUMENT. */
export class Violations {
  private readonly list: FieldViolation[] = [];

  get count(): number {
    return this.list.length;
  }

  add(field: string, description: string): void {
    this.list.push({ field, description });
  }

  /** Adds the violation unless `holds`; returns `holds`. */
  check(holds: boolean, field: string, description: string): boolean {
    if (!holds) this.add(field, description);
    return holds;
  }

  /** Throws DomainError.invalid with every collected violation, if any. */
  throwIfAny(): void {
    if (this.list.length > 0) throw DomainError.invalid([...this.list]);
  }

  /** Trimmed text; '' when absent (and not required). */
  text(field: string, value: unknown, rule: TextRule): string {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (rule.required) this.add(field, 'is required');
      return '';
    }
    if (typeof value !== 'string') {
      this.add(field, 'must be a string');
      return '';
    }
    const text = rule.trim === false ? value : value.trim();
    if (codePointLength(text) > rule.max) this.add(field, `must be at most ${rule.max} characters`);
    else if (rule.pattern && !rule.pattern.test(text)) this.add(field, rule.patternDescription ?? `must match ${rule.pattern.source}`);
    return text;
  }

  /** Trimmed text, or null when absent. */
  optionalText(field: string, value: unknown, rule: Omit<TextRule, 'required'>): string | null {
    return isAbsent(value) ? null : this.text(field, value, rule);
  }

  uuid(field: string, value: unknown): string {
    if (typeof value !== 'string' || value === '') {
      this.add(field, 'is required');
      return '';
    }
    if (!isUuid(value)) this.add(field, 'must be a UUID');
    return value;
  }

  /**
   * An identifier chosen outside this service (a user id, a subject id): at most `max` characters
   * and no whitespace. Never trimmed: an id is compared and derived from, so ' a' is not 'a'.
   */
  identifier(field: string, value: unknown, max: number): string {
    return this.text(field, value, { max, required: true, trim: false, pattern: NO_WHITESPACE, patternDescription: 'must not contain whitespace' });
  }

  optionalUuid(field: string, value: unknown): string | null {
    return isAbsent(value) ? null : this.uuid(field, value);
  }

  /** Distinct UUIDs in the order given; [] when absent. */
  uuidList(field: string, value: unknown, max: number): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.add(field, 'must be a list');
      return [];
    }
    if (value.length > max) this.add(field, `must have at most ${max} entries`);
    const ids: string[] = [];
    value.forEach((entry: unknown, index) => {
      if (typeof entry !== 'string' || !isUuid(entry)) this.add(`${field}[${index}]`, 'must be a UUID');
      else if (ids.includes(entry)) this.add(`${field}[${index}]`, 'is a duplicate');
      else ids.push(entry);
    });
    return ids;
  }

  /** A normalized (trimmed, lower-case) email address. */
  email(field: string, value: unknown): string {
    if (isAbsent(value) || typeof value !== 'string') {
      this.add(field, 'is required');
      return '';
    }
    const email = normalizeEmail(value);
    if (codePointLength(email) > MAX_EMAIL_LENGTH) this.add(field, `must be at most ${MAX_EMAIL_LENGTH} characters`);
    else if (!EMAIL_PATTERN.test(email)) this.add(field, 'must be an email address');
    return email;
  }

  /** A calendar date `YYYY-MM-DD` that exists (2025-02-30 does not). */
  date(field: string, value: unknown): string {
    if (isAbsent(value) || typeof value !== 'string') {
      this.add(field, 'is required');
      return '';
    }
    const date = value.trim();
    if (!ISO_DATE.test(date) || !DateTime.fromFormat(date, 'yyyy-MM-dd', { zone: 'utc' }).isValid) {
      this.add(field, 'must be a date as YYYY-MM-DD');
    }
    return date;
  }

  optionalDate(field: string, value: unknown): string | null {
    return isAbsent(value) ? null : this.date(field, value);
  }

  /** An ISO-8601 instant with an explicit offset (or Z), returned in UTC; null when absent. */
  optionalInstant(field: string, value: unknown): string | null {
    if (isAbsent(value)) return null;
    const text = typeof value === 'string' ? value.trim() : '';
    const parsed = DateTime.fromISO(text, { setZone: true });
    if (!INSTANT_WITH_OFFSET.test(text) || !parsed.isValid) {
      this.add(field, 'must be an ISO-8601 timestamp with an offset, e.g. 2025-06-11T14:00:00Z');
      return null;
    }
    return parsed.toUTC().toISO() ?? null;
  }

  /** An IANA zone such as Europe/Paris, in its canonical spelling. */
  timezone(field: string, value: unknown): string {
    if (isAbsent(value) || typeof value !== 'string') {
      this.add(field, 'is required');
      return '';
    }
    const zone = value.trim();
    if (!IANAZone.isValidZone(zone)) {
      this.add(field, 'must be an IANA time zone such as Europe/Paris');
      return zone;
    }
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  }

  /** One of `allowed`; the first of them (with a violation) otherwise. */
  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.add(field, `must be one of ${allowed.join(', ')}`);
      return allowed[0] as T;
    }
    return value as T;
  }

  /** A whole number within [min, max]; `min` when it is not one. */
  integer(field: string, value: unknown, range: { readonly min: number; readonly max?: number }): number {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.add(field, 'must be a whole number');
      return range.min;
    }
    if (value < range.min) this.add(field, range.min === 0 ? 'must not be negative' : `must be at least ${range.min}`);
    else if (range.max !== undefined && value > range.max) this.add(field, `must be at most ${range.max}`);
    return value;
  }

  boolean(field: string, value: unknown): boolean {
    if (typeof value !== 'boolean') {
      this.add(field, 'must be true or false');
      return false;
    }
    return value;
  }
}
