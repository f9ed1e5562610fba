import type { PendingTimer, Timer } from '@projectflo/scheduling/domain';

/** Types shared by the task timers workflow (sandbox) and its activities (Node): types only. */

/** Which task's timers: the business key of the workflow. Everything else is read from the schedule's stream. */
export interface TaskTimersInput {
  readonly tenantId: string;
  readonly taskId: string;
  /** Rounds per run before it continues as new (MAX_ROUNDS_PER_RUN when absent; tests set a small one). */
  readonly maxRoundsPerRun?: number;
}

/** The schedule as the workflow needs it: what is pending, earliest first, and whether there is anything to wait for. */
export interface LoadedSchedule {
  readonly open: boolean;
  readonly pending: readonly PendingTimer[];
}

export type FireOutcome =
  /** With the schedule as it is after the firing (read in the same activity, so the workflow needs no second one). */
  | { readonly outcome: 'fired' | 'stale'; readonly schedule?: LoadedSchedule }
  /** The activity's clock says the timer woke before its time: wait `remainingMs` more. */
  | { readonly outcome: 'early'; readonly remainingMs: number };

export interface TaskTimerActivities {
  loadSchedule(input: TaskTimersInput): Promise<LoadedSchedule>;
  fireTimer(input: TaskTimersInput & { readonly timer: Timer }): Promise<FireOutcome>;
}

/** What the `pending` query answers. */
export interface PendingTimersView {
  readonly taskId: string;
  readonly pending: readonly PendingTimer[];
}
