// A stand-in for a real automation: it imports pure helpers through the Nx path aliases (the
// point of the bundler configuration) and calls an activity.
import { deriveId } from '@projectflo/platform/core';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the fixture proves the bundler resolves this lib's own alias
import { cancelSignal, statusQuery, workflowId } from '@projectflo/platform/workflow';
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { SampleActivities } from './sample.activities';

export interface SampleExpansionInput {
  readonly tenantId: string;
  readonly triggerEventId: string;
  readonly templateIds: readonly string[];
}

export interface SampleExpansionResult {
  readonly taskIds: string[];
  readonly childKey: string;
  readonly cancelled: boolean;
}

/** Holds the workflow open until the test says so, so a second start meets a running execution. */
export const releaseSignal = defineSignal('release');

const { createTask } = proxyActivities<SampleActivities>({ startToCloseTimeout: '10 seconds' });

export async function sampleExpansionWorkflow(input: SampleExpansionInput): Promise<SampleExpansionResult> {
  let released = false;
  let cancelled = false;
  let done = 0;
  setHandler(releaseSignal, () => {
    released = true;
  });
  setHandler(cancelSignal, () => {
    cancelled = true;
  });
  setHandler(statusQuery, () => (released ? `created ${done} of ${input.templateIds.length}` : 'waiting'));
  await condition(() => released || cancelled);
  const taskIds: string[] = [];
  if (!cancelled) {
    for (const templateId of input.templateIds) {
      taskIds.push(await createTask(deriveId(input.tenantId, input.triggerEventId, templateId)));
      done++;
    }
  }
  return { taskIds, childKey: workflowId('child', input.tenantId, input.triggerEventId), cancelled };
}

/** A workflow with a bug that never yields: its task must fail on the sandbox's timeout, not hold the worker. */
export async function spinningWorkflow(): Promise<void> {
  // Workflow time stands still while the task runs: this loop never ends on its own.
  const started = Date.now();
  while (Date.now() === started) {
    // spins
  }
}
