// The bare-Temporal baseline of bench/expansion.bench.ts: one workflow that runs one no-op activity.
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '10 seconds' });

export async function benchNoopWorkflow(): Promise<string> {
  await noop();
  return 'done';
}
