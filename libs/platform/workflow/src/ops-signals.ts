import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * The three actions operations staff take on any automation from the Web UI or CLI
 * (`temporal workflow signal --name cancel ...`). A workflow that supports one handles the signal
 * with `setHandler(cancelSignal, ...)`; workflows with their own signals still export them as
 * constants beside the workflow, as these are.
 */
export interface CancelSignalInput {
  readonly reason?: string;
  readonly actorId?: string;
}
export interface SnoozeSignalInput {
  /** ISO-8601 instant until which the automation waits before its next step. */
  readonly until: string;
  readonly reason?: string;
  readonly actorId?: string;
}
export interface RetrySignalInput {
  readonly reason?: string;
  readonly actorId?: string;
}

export const cancelSignal = defineSignal<[CancelSignalInput]>('cancel');
export const snoozeSignal = defineSignal<[SnoozeSignalInput]>('snooze');
export const retrySignal = defineSignal<[RetrySignalInput]>('retry');

/** A one-line, human-readable state for the UI's query tab. */
export const statusQuery = defineQuery<string>('status');
