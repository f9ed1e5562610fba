import type { BenchResult } from './timing';

export interface RatioTableOptions {
  /** Name of the case every other case in its group is compared with. */
  readonly baseline: string;
  /** Unit of `items`, e.g. "events" or "messages". */
  readonly unit?: string;
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/**
 * Prints one row per result, grouped, with absolute figures and ratios to the group's baseline:
 * throughput ratio (higher is better) and p50/p99 latency ratios (lower is better).
 */
export function formatRatioTable(results: readonly BenchResult[], options: RatioTableOptions): string {
  const unit = options.unit ?? 'items';
  const header = ['group', 'case', 'conc', unit, 'seconds', `${unit}/s`, 'p50 ms', 'p99 ms', 'x throughput', 'x p50', 'x p99'];
  const rows: string[][] = [header];
  for (const result of results) {
    const base = results.find((r) => r.group === result.group && r.name === options.baseline);
    rows.push([
      result.group,
      result.name,
      String(result.concurrency),
      String(result.items),
      fixed(result.seconds, 2),
      fixed(result.itemsPerSecond, 0),
      fixed(result.latency.p50Ms, 3),
      fixed(result.latency.p99Ms, 3),
      base ? fixed(result.itemsPerSecond / base.itemsPerSecond, 2) : 'n/a',
      base ? fixed(result.latency.p50Ms / base.latency.p50Ms, 2) : 'n/a',
      base ? fixed(result.latency.p99Ms / base.latency.p99Ms, 2) : 'n/a',
    ]);
  }
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function printRatioTable(results: readonly BenchResult[], options: RatioTableOptions): void {
  console.log(formatRatioTable(results, options));
}
