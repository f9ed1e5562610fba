import { type Client, WorkflowExecutionAlreadyStartedError, type WorkflowHandle, type WorkflowStartOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

export interface StartOnceResult<T extends Workflow> {
  readonly handle: WorkflowHandle<T>;
  /** false when an execution with this id already ran or is running: the trigger was a duplicate. */
  readonly started: boolean;
}

/**
 * Starts a workflow whose id is a business key, treating "already started" as success: a trigger
 * delivered twice (Kafka redelivery, a replayed topic, a retried command) starts one execution.
 *
 * Defaults: `workflowIdConflictPolicy: 'FAIL'` so a running duplicate is detected, and
 * `workflowIdReusePolicy: 'REJECT_DUPLICATE'` so a duplicate arriving after the first execution
 * closed is also a no-op (within the namespace's retention; side effects still carry their own
 * idempotency keys). Pass `ALLOW_DUPLICATE_FAILED_ONLY` where re-running a failed execution on a
 * redelivery is wanted.
 */
export async function startOnce<T extends Workflow>(
  client: Client,
  workflow: T | string,
  options: WorkflowStartOptions<T>,
): Promise<StartOnceResult<T>> {
  try {
    const handle = await client.workflow.start<T>(workflow, {
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      ...options,
    });
    return { handle, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      return { handle: client.workflow.getHandle<T>(options.workflowId), started: false };
    }
    throw error;
  }
}
