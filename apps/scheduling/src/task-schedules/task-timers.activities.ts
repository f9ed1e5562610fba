import { automationMetadata, type Clock, deriveId } from '@projectflo/platform/core';
import type { CommandExecutor } from '@projectflo/platform/service';
import { pendingTimers, SchedulingStreams, taskScheduleDecider, type Timer } from '@projectflo/scheduling/domain';
import { SCHEDULING_SERVICE } from '../scheduling.constants';
import type { FireOutcome, LoadedSchedule, TaskTimerActivities, TaskTimersInput } from './task-timers.types';

export interface TaskTimerActivityDeps {
  readonly executor: CommandExecutor;
  readonly clock: Clock;
}

/** When a timer is due, by the schedule's own rule (a reminder at its firing time, the due and overdue moments). */
function firesAt(timer: Timer, pending: LoadedSchedule['pending']): string | undefined {
  return pending.find((p) => JSON.stringify(p.timer) === JSON.stringify(timer))?.firesAt;
}

/**
 * The request id of one firing: per (task, timer, schedule version it was decided on), so a
 * retried activity repeats it; the decider's once-per-occurrence rule covers the rest.
 */
export function fireRequestId(taskId: string, timer: Timer, version: number): string {
  return deriveId('fire-timer', taskId, JSON.stringify(timer), String(version));
}

export function createTaskTimerActivities(deps: TaskTimerActivityDeps): TaskTimerActivities {
  const { executor, clock } = deps;

  async function read(input: TaskTimersInput): Promise<LoadedSchedule & { readonly version: number }> {
    const { state, version } = await executor.load(taskScheduleDecider, SchedulingStreams.taskSchedule(input.taskId), input.tenantId);
    return { open: state.status === 'open', pending: pendingTimers(state), version };
  }

  async function loadSchedule(input: TaskTimersInput): Promise<LoadedSchedule> {
    const { open, pending } = await read(input);
    return { open, pending };
  }

  async function fireTimer(input: TaskTimersInput & { readonly timer: Timer }): Promise<FireOutcome> {
    const { tenantId, taskId, timer } = input;
    const schedule = await read(input);
    const at = firesAt(timer, schedule.pending);
    if (at === undefined) return { outcome: 'stale', schedule: { open: schedule.open, pending: schedule.pending } };
    const now = clock.now();
    const remainingMs = Date.parse(at) - now.getTime();
    if (remainingMs > 0) return { outcome: 'early', remainingMs };
    const { events } = await executor.run(
      taskScheduleDecider,
      SchedulingStreams.taskSchedule(taskId),
      { type: 'FireTimer', data: { taskId, timer } },
      { metadata: automationMetadata({ service: SCHEDULING_SERVICE, tenantId, requestId: fireRequestId(taskId, timer, schedule.version), now }) },
    );
    return { outcome: events.length > 0 ? 'fired' : 'stale', schedule: await loadSchedule(input) };
  }

  return { loadSchedule, fireTimer };
}
