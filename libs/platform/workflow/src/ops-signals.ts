import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * What operations staff use on any automation from the Web UI or CLI
 * (`temporal workflow signal --name cancel ...`, `temporal workflow query --type status ...`). A
 * workflow that supports them handles them with `setHandler(cancelSignal, ...)` and
 * `setHandler(statusQuery, ...)`; workflows with their own signals export them as constants beside
 * the workflow, as these are.
 */
export interface CancelSignalInput {
  readonly reason?: string;
  readonly actorId?: string;
}

export const cancelSignal = defineSignal<[CancelSignalInput]>('cancel');

/** A one-line, human-readable state for the UI's query tab. */
export const statusQuery = defineQuery<string>('status');
