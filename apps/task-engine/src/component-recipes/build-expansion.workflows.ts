// Workflow code: runs in the Temporal sandbox. Imports types, @temporalio/workflow and the pure
// workflow entry of @projectflo/platform/workflow only. Bundled through automation/expansion.workflows.ts.
import { cancelSignal, SearchAttributes, statusQuery } from '@projectflo/platform/workflow';
import { defineQuery, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { BuildExpansionActivities, BuildExpansionInput, BuildExpansionProgress, BuildExpansionSummary } from './build-expansion.types';

/** How far a build's expansion has got (the Web UI's query tab). */
export const buildProgressQuery = defineQuery<BuildExpansionProgress>('buildProgress');

const activities = proxyActivities<BuildExpansionActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['DomainError'] },
});

/**
 * A booked build's components expanded into production tasks through their recipes: plan once
 * (templates at their active versions, the business calendar), then create each task in plan
 * order. Task ids derive from (tenant, build, component, template) and each CreateTask's request id
 * from them, so a worker killed halfway resumes from its history and a repeated create is a no-op.
 */
export async function expandBuildWorkflow(input: BuildExpansionInput): Promise<BuildExpansionSummary> {
  let progress: BuildExpansionProgress = { phase: 'planning', planned: 0, created: 0, alreadyExisted: 0 };
  let cancelRequested = false;
  setHandler(buildProgressQuery, () => progress);
  setHandler(statusQuery, () => `${progress.phase}: ${progress.created} created, ${progress.alreadyExisted} already existed of ${progress.planned} planned`);
  setHandler(cancelSignal, () => {
    cancelRequested = true;
  });

  const plan = await activities.planBuildExpansion(input);
  upsertSearchAttributes([{ key: SearchAttributes.TemplateCount, value: plan.templateCount }]);
  progress = { ...progress, phase: 'creating', planned: plan.tasks.length };

  const taskIds: string[] = [];
  for (const task of plan.tasks) {
    if (cancelRequested) break;
    const outcome = await activities.createTask({ tenantId: input.tenantId, automationDepth: input.automationDepth, task });
    taskIds.push(outcome.taskId);
    progress = outcome.created ? { ...progress, created: progress.created + 1 } : { ...progress, alreadyExisted: progress.alreadyExisted + 1 };
  }
  const cancelled = cancelRequested && taskIds.length < plan.tasks.length;
  progress = { ...progress, phase: cancelled ? 'cancelled' : 'completed' };
  return {
    outcome: cancelled ? 'cancelled' : 'completed',
    templateCount: plan.templateCount,
    created: progress.created,
    alreadyExisted: progress.alreadyExisted,
    taskIds,
    warnings: plan.warnings,
    message: `${cancelled ? 'cancelled after' : 'expanded'} ${taskIds.length} of ${plan.tasks.length} tasks of build ${input.build.buildId} v${input.build.version} (${progress.created} created, ${progress.alreadyExisted} already existed, ${plan.warnings.length} warnings)`,
  };
}
