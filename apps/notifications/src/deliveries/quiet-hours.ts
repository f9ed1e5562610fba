import { DateTime } from 'luxon';

export interface QuietHours {
  /** Local times `HH:mm` in the recipient's zone; start after end spans midnight (22:00–07:00). */
  readonly start: string;
  readonly end: string;
}

function at(day: DateTime, time: string): DateTime {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  // On a spring-forward day a local time that does not exist (02:30) is moved forward by luxon.
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/**
 * When a delivery at `now` may go out: null when `now` is outside the recipient's quiet hours,
 * else the instant they end (in UTC), computed in the recipient's zone so that daylight-saving
 * changes move it with the local clock. Start equal to end means no quiet hours.
 */
export function quietHoursEnd(now: Date, quiet: QuietHours | null, zone: string): Date | null {
  if (!quiet || quiet.start === quiet.end) return null;
  const local = DateTime.fromJSDate(now, { zone });
  if (!local.isValid) return null;
  const today = local.startOf('day');
  const spansMidnight = quiet.start > quiet.end;
  const windows = spansMidnight
    ? [
        { from: at(today.minus({ days: 1 }), quiet.start), to: at(today, quiet.end) },
        { from: at(today, quiet.start), to: at(today.plus({ days: 1 }), quiet.end) },
      ]
    : [{ from: at(today, quiet.start), to: at(today, quiet.end) }];
  const inside = windows.find((w) => local >= w.from && local < w.to);
  return inside ? inside.to.toUTC().toJSDate() : null;
}
