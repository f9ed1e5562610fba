// Workflow code: runs in the Temporal sandbox. Imports types, @temporalio/workflow and the pure
// workflow entry of @projectflo/platform/workflow only.
import { statusQuery } from '@projectflo/platform/workflow';
import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { LoadedSchedule, PendingTimersView, TaskTimerActivities, TaskTimersInput } from './task-timers.types';

// Every worker also answers the platform's diagnostics workflow (see libs/platform/service).
export { serviceDiagnosticsWorkflow } from '@projectflo/platform/service';

/** The task's schedule changed (scheduled, moved, replanned, ended): read it again. */
export const scheduleChangedSignal = defineSignal('scheduleChanged');

/** What is pending, earliest first: operations staff read it in the Web UI's query tab. */
export const pendingQuery = defineQuery<PendingTimersView>('pending');

/**
 * Patch (Temporal versioning): fireTimer returns the schedule as it is after the firing, and the
 * next round uses it instead of a second loadSchedule activity (one activity per firing instead of
 * two). Histories recorded before it (__fixtures__/task-timers-v1) replay through the old branch.
 */
export const FIRE_RETURNS_SCHEDULE_PATCH = 'fire-returns-schedule';

/** Rounds (load, wait, fire) per run before it continues as new, far below the history limits (each round is a handful of events). */
export const MAX_ROUNDS_PER_RUN = 200;

const activities = proxyActivities<TaskTimerActivities>({
  // Short: a worker killed mid-activity is noticed when this expires, and the retry is a no-op.
  startToCloseTimeout: '20 seconds',
  // An outage (Postgres) is waited out: no maximum attempts.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/**
 * The durable timers of one task (`scheduling/<tenant>/task/<task>`): read what is pending from
 * the schedule's stream, sleep until the earliest (a durable timer: it survives worker and server
 * restarts), fire it through the FireTimer command, and again. A `scheduleChanged` signal (the
 * due date moved, the policy changed, the task was completed) cuts the sleep short and the
 * schedule is read again; the decider ignores a timer the schedule no longer has, so a reminder
 * firing while the task moves never fires stale. Never early: the activity compares the time
 * with its own clock and a timer that woke early sleeps again. Ends when nothing is pending;
 * continues as new after MAX_ROUNDS_PER_RUN rounds or when Temporal suggests it.
 */
export async function taskTimersWorkflow(input: TaskTimersInput): Promise<string> {
  let changed = false;
  let view: PendingTimersView = { taskId: input.taskId, pending: [] };
  setHandler(scheduleChangedSignal, () => {
    changed = true;
  });
  setHandler(pendingQuery, () => view);
  setHandler(statusQuery, () => (view.pending[0] ? `next ${view.pending[0].timer.kind} at ${view.pending[0].firesAt}` : 'nothing pending'));

  /** The schedule the last firing returned: current unless a change was signalled since. */
  let afterFiring: LoadedSchedule | undefined;
  for (let round = 0; ; round++) {
    if (round >= (input.maxRoundsPerRun ?? MAX_ROUNDS_PER_RUN) || workflowInfo().continueAsNewSuggested) {
      return await continueAsNew<typeof taskTimersWorkflow>(input);
    }
    const known = changed ? undefined : afterFiring;
    changed = false;
    afterFiring = undefined;
    const schedule = known ?? (await activities.loadSchedule(input));
    view = { taskId: input.taskId, pending: schedule.pending };
    const next = schedule.pending[0];
    setCurrentDetails(next ? `Next: ${next.timer.kind} at ${next.firesAt} (${schedule.pending.length} pending)` : 'Nothing pending');
    if (!next) {
      // A change signalled while the schedule was read is read again before the run ends.
      if (changed) continue;
      return schedule.open ? 'every timer fired' : 'schedule ended';
    }
    const waitMs = Date.parse(next.firesAt) - Date.now();
    if (waitMs > 0 && (await condition(() => changed, waitMs))) continue;
    if (changed) continue;
    const fired = await activities.fireTimer({ ...input, timer: next.timer });
    if (fired.outcome === 'early') await sleep(Math.max(fired.remainingMs, 100));
    else if (patched(FIRE_RETURNS_SCHEDULE_PATCH)) afterFiring = fired.schedule;
  }
}
