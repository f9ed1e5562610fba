import { DateTime } from 'luxon';

/** An ISO-8601 instant that names its offset ("Z" or "+02:00"); local times are ambiguous. */
const OFFSET_SUFFIX = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Parses an ISO-8601 instant with an explicit offset; undefined when invalid. */
export function parseInstant(value: unknown): DateTime | undefined {
  if (typeof value !== 'string' || !OFFSET_SUFFIX.test(value)) return undefined;
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toUTC() : undefined;
}

/** The one textual form of an instant in events: UTC with milliseconds, e.g. 2025-06-14T10:00:00.000Z. */
export function toInstantString(value: DateTime | Date): string {
  const dt = value instanceof Date ? DateTime.fromJSDate(value, { zone: 'utc' }) : value;
  const iso = dt.toUTC().toISO();
  if (iso === null) throw new Error('invalid instant');
  return iso;
}

/** Parses a calendar date (YYYY-MM-DD) or an instant, as a date in the given zone; undefined when invalid. */
export function parseDateInZone(value: unknown, zone: string): DateTime | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = DateTime.fromISO(value, { zone });
    return date.isValid ? date.startOf('day') : undefined;
  }
  const instant = parseInstant(value);
  return instant ? instant.setZone(zone).startOf('day') : undefined;
}
