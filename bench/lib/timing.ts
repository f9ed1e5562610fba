import { summarizeLatencies, type LatencySummary } from './stats';

export interface BenchCase {
  /** Row label, e.g. "store append x1". */
  readonly name: string;
  /** Rows sharing a group are compared with that group's baseline, e.g. "sequential". */
  readonly group: string;
  /** How many times `operation` runs (timed). */
  readonly operations: number;
  /** How many messages/events one operation handles: throughput is counted in these. */
  readonly itemsPerOperation?: number;
  /** Operations in flight at once; each worker runs its share one after another. */
  readonly concurrency?: number;
  /** Untimed operations first (connections, plans, JIT), run with the same concurrency. */
  readonly warmupOperations?: number;
  /** `index` is 0-based over all operations; `worker` in 0..concurrency-1. */
  readonly operation: (index: number, worker: number) => Promise<void>;
}

export interface BenchResult {
  readonly name: string;
  readonly group: string;
  readonly concurrency: number;
  readonly items: number;
  readonly seconds: number;
  readonly itemsPerSecond: number;
  /** Latency of one operation (an operation may carry several items). */
  readonly latency: LatencySummary;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Calls `work` for 0..count-1, spread over `concurrency` workers pulling from one shared counter. */
export async function forEachConcurrently(count: number, concurrency: number, work: (index: number, worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async (_, worker) => {
      for (let i = next++; i < count; i = next++) await work(i, worker);
    }),
  );
}

/** Runs `operations` calls spread over `concurrency` workers, timing each. */
function drive(count: number, concurrency: number, offset: number, op: BenchCase['operation'], latencies?: number[]): Promise<void> {
  return forEachConcurrently(count, concurrency, async (i, worker) => {
    const start = nowMs();
    await op(offset + i, worker);
    latencies?.push(nowMs() - start);
  });
}

export async function runCase(benchCase: BenchCase): Promise<BenchResult> {
  const concurrency = benchCase.concurrency ?? 1;
  const warmup = benchCase.warmupOperations ?? 0;
  await drive(warmup, concurrency, 0, benchCase.operation);
  const latencies: number[] = [];
  const start = nowMs();
  await drive(benchCase.operations, concurrency, warmup, benchCase.operation, latencies);
  const seconds = (nowMs() - start) / 1000;
  const items = benchCase.operations * (benchCase.itemsPerOperation ?? 1);
  return {
    name: benchCase.name,
    group: benchCase.group,
    concurrency,
    items,
    seconds,
    itemsPerSecond: items / seconds,
    latency: summarizeLatencies(latencies),
  };
}
