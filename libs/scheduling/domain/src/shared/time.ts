import { DateTime, Duration } from 'luxon';

/** The one textual form of an instant in events: UTC with milliseconds, e.g. 2025-06-14T10:00:00.000Z. */
export function toInstantString(value: DateTime | Date): string {
  const dt = value instanceof Date ? DateTime.fromJSDate(value, { zone: 'utc' }) : value;
  const iso = dt.toUTC().toISO();
  if (iso === null) throw new Error('invalid instant');
  return iso;
}

/** An instant of an event (always valid: the contracts checked it). */
export function instant(value: string): DateTime {
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) throw new Error(`invalid instant ${value}`);
  return parsed.toUTC();
}

/** Weeks, days, hours, minutes and seconds: no years or months, whose length depends on the date. */
const ISO_DURATION = /^P(?=\d|T\d)(?:\d{1,5}W)?(?:\d{1,5}D)?(?:T(?=\d)(?:\d{1,6}H)?(?:\d{1,7}M)?(?:\d{1,9}S)?)?$/;

/** The longest offset or grace a policy may name: a year. */
export const MAX_DURATION_DAYS = 366;

/** An ISO-8601 duration as the domain keeps it (P3D, PT2H), or undefined when it is not one. */
export function parseDuration(value: string): Duration | undefined {
  if (!ISO_DURATION.test(value)) return undefined;
  const duration = Duration.fromISO(value);
  return duration.isValid ? duration : undefined;
}

/** A kept duration (validated when its policy was set). */
export function duration(value: string): Duration {
  const parsed = parseDuration(value);
  if (!parsed) throw new Error(`invalid duration ${value}`);
  return parsed;
}
