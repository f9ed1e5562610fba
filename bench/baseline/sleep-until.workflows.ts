// The bare-Temporal baseline of bench/reminders.bench.ts: one durable timer until the scheduled
// time, then one activity that records when it ran (the firing), nothing else.
import { proxyActivities, sleep } from '@temporalio/workflow';

export interface SleepUntilActivities {
  /** Records the firing of `id` (the bench's collector reads the worker's clock). */
  fired(id: string, scheduledFor: string): Promise<void>;
}

const { fired } = proxyActivities<SleepUntilActivities>({ startToCloseTimeout: '20 seconds' });

export async function benchSleepUntilWorkflow(id: string, scheduledFor: string): Promise<void> {
  const waitMs = Date.parse(scheduledFor) - Date.now();
  if (waitMs > 0) await sleep(waitMs);
  await fired(id, scheduledFor);
}
