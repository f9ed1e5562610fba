// Workflow code: runs in the Temporal sandbox. Imports types, @temporalio/workflow and the pure
// workflow entry of @projectflo/platform/workflow only.
import { cancelSignal, SearchAttributes, statusQuery } from '@projectflo/platform/workflow';
import { type ActivityOptions, defineQuery, patched, proxyActivities, proxyLocalActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { expansionMessage } from './expansion.summary';
import type { ExpansionActivities, ExpansionInput, ExpansionProgress, ExpansionSummary } from './expansion.types';

// Every worker also answers the platform's diagnostics workflow (see libs/platform/service).
export { serviceDiagnosticsWorkflow } from '@projectflo/platform/service';
// A booked build's component recipes (component-recipes/), on the same worker.
export { expandBuildWorkflow } from '../component-recipes/build-expansion.workflows';

/** How far an expansion has got: operations staff read it in the Web UI's query tab. */
export const progressQuery = defineQuery<ExpansionProgress>('progress');

/** Error types the activities mark as permanent (a DomainError: retrying cannot help). */
export const NON_RETRYABLE_ERROR_TYPES = ['DomainError'];

const ACTIVITY_OPTIONS = {
  // Short: a worker killed mid-activity (kill -9) is noticed when this expires, and the retry is a no-op.
  startToCloseTimeout: '20 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
} satisfies ActivityOptions;

const activities = proxyActivities<ExpansionActivities>(ACTIVITY_OPTIONS);
/** The same activities run by the worker that runs the workflow task (markers in the history, no activity tasks). */
const localActivities = proxyLocalActivities<ExpansionActivities>(ACTIVITY_OPTIONS);

/**
 * Since this patch the plan and the creation of the tasks are local activities: the whole
 * expansion is one workflow task (the worker runs both steps itself and Temporal records their
 * results as markers) instead of three workflow tasks and two activity tasks matched through the
 * server, which spent most of an expansion's time and the server's CPU. Both steps were short and
 * idempotent already (ids derived from the trigger and the template), so a worker that dies
 * mid-step is replaced when the workflow task times out and the step runs again to the same
 * result. Histories recorded before it replay the activities (fixtures v1 and v2; the patched path:
 * lead-status-expansion-v3-local-activities.history.json).
 */
export const LOCAL_ACTIVITIES_PATCH = 'expansion-local-activities';

/**
 * Since this patch an expansion creates its planned tasks together, in one activity, instead of
 * one createTask activity after another: two activities per expansion whatever its size; the
 * second also records the expansion's outcome (ExpansionFinished on tasks.expansion.v1). Histories
 * recorded before it (no marker) replay the old loop (fixture lead-status-expansion.history.json;
 * the patched path: lead-status-expansion-v2-create-tasks-together.history.json).
 */
export const CREATE_TASKS_TOGETHER_PATCH = 'create-tasks-together';

/**
 * One trigger (a lead entering a status, or an ingested external event) expanded into its tasks:
 * plan once (templates, calendar, loop guard), then create the planned tasks (together; before the
 * patch, one at a time in plan order). Every task id and request id derives from (trigger event,
 * template), so a worker killed halfway resumes from its history and a repeated create is a no-op:
 * the set ends complete, once.
 */
export async function expandTriggerWorkflow(input: ExpansionInput): Promise<ExpansionSummary> {
  let progress: ExpansionProgress = { phase: 'planning', planned: 0, created: 0, alreadyExisted: 0 };
  let cancelRequested = false;
  setHandler(progressQuery, () => progress);
  setHandler(statusQuery, () => `${progress.phase}: ${progress.created} created, ${progress.alreadyExisted} already existed of ${progress.planned} planned`);
  setHandler(cancelSignal, () => {
    cancelRequested = true;
  });

  const steps = patched(LOCAL_ACTIVITIES_PATCH) ? localActivities : activities;
  const plan = await steps.planExpansion(input);
  if (plan.kind === 'stopped') {
    progress = { ...progress, phase: 'stopped' };
    return {
      outcome: 'stopped',
      templateCount: 0,
      created: 0,
      alreadyExisted: 0,
      taskIds: [],
      warnings: [],
      message: `stopped by the loop guard (${plan.reason}): ${plan.detail}`,
    };
  }
  upsertSearchAttributes([{ key: SearchAttributes.TemplateCount, value: plan.templateCount }]);
  progress = { ...progress, phase: 'creating', planned: plan.tasks.length };

  const taskIds: string[] = [];
  const count = (outcome: { taskId: string; created: boolean }) => {
    taskIds.push(outcome.taskId);
    progress = outcome.created ? { ...progress, created: progress.created + 1 } : { ...progress, alreadyExisted: progress.alreadyExisted + 1 };
  };
  if (patched(CREATE_TASKS_TOGETHER_PATCH)) {
    // createTasks also records the outcome (ExpansionFinished), with no tasks too; a cancel before it records one of its own.
    if (cancelRequested) {
      await steps.recordOutcome({ expansion: input, outcome: 'cancelled', templateCount: plan.templateCount, warnings: plan.warnings });
    } else {
      const created = await steps.createTasks({
        tenantId: input.tenantId,
        automationDepth: input.automationDepth,
        tasks: plan.tasks,
        expansion: input,
        templateCount: plan.templateCount,
        warnings: plan.warnings,
      });
      for (const outcome of created) count(outcome);
    }
  } else {
    for (const task of plan.tasks) {
      if (cancelRequested) break;
      count(await activities.createTask({ tenantId: input.tenantId, automationDepth: input.automationDepth, task }));
    }
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
    message: expansionMessage(cancelled, taskIds.length, plan.tasks.length, progress.created, progress.alreadyExisted, plan.warnings.length),
  };
}
