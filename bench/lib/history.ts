/** Milliseconds of a proto Timestamp since the epoch, or of a proto Duration (seconds may be a Long); NaN when absent. */
export function timestampMs(ts: { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined): number {
  if (!ts) return Number.NaN;
  return Number(String(ts.seconds ?? 0)) * 1000 + (ts.nanos ?? 0) / 1e6;
}
