/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

export interface LatencySummary {
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  const total = latenciesMs.reduce((sum, ms) => sum + ms, 0);
  return {
    count: latenciesMs.length,
    meanMs: latenciesMs.length === 0 ? Number.NaN : total / latenciesMs.length,
    p50Ms: percentile(latenciesMs, 50),
    p90Ms: percentile(latenciesMs, 90),
    p99Ms: percentile(latenciesMs, 99),
    maxMs: latenciesMs.length === 0 ? Number.NaN : Math.max(...latenciesMs),
  };
}
