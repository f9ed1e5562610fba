// The same workflow type after an incompatible change (a timer added before the activity calls):
// replaying a history recorded with sample.workflows.ts must fail on it.
import { deriveId } from '@projectflo/platform/core';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the fixture proves the bundler resolves this lib's own alias
import { cancelSignal, workflowId } from '@projectflo/platform/workflow';
import { condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { SampleActivities } from './sample.activities';
import { releaseSignal, type SampleExpansionInput, type SampleExpansionResult } from './sample.workflows';

const { createTask } = proxyActivities<SampleActivities>({ startToCloseTimeout: '10 seconds' });

export async function sampleExpansionWorkflow(input: SampleExpansionInput): Promise<SampleExpansionResult> {
  let released = false;
  let cancelled = false;
  setHandler(releaseSignal, () => {
    released = true;
  });
  setHandler(cancelSignal, () => {
    cancelled = true;
  });
  await condition(() => released || cancelled);
  await sleep('1 second');
  const taskIds: string[] = [];
  for (const templateId of input.templateIds) {
    taskIds.push(await createTask(deriveId(input.tenantId, input.triggerEventId, templateId)));
  }
  return { taskIds, childKey: workflowId('child', input.tenantId, input.triggerEventId), cancelled };
}
