import { Inject, Injectable } from '@nestjs/common';
import { type EventSourcedServiceOptions, SERVICE_OPTIONS, TEMPORAL } from '@projectflo/platform/service';
import { buildSearchAttributes, startOnce, type TemporalClientHandle } from '@projectflo/platform/workflow';
import type { notifyWorkflow } from './delivery.workflows';
import { notificationWorkflowId } from './notification-requests.repository';
import type { NotificationInput } from './notification.types';

export const NOTIFY_WORKFLOW_TYPE = 'notifyWorkflow';

/**
 * Starts a notification's workflow at most once: a second start with the same business id is a
 * no-op while Temporal keeps the run (REJECT_DUPLICATE, also for a closed run, for the namespace's
 * retention); after that, its Delivery streams (kept for good in the event store) make a run for
 * the same id record and send nothing twice. Findable by TenantId, TaskId and TriggerType.
 */
@Injectable()
export class NotificationStarter {
  constructor(
    @Inject(TEMPORAL) private readonly temporal: TemporalClientHandle,
    @Inject(SERVICE_OPTIONS) private readonly options: EventSourcedServiceOptions,
  ) {}

  async start(input: NotificationInput): Promise<{ workflowId: string; started: boolean }> {
    const taskQueue = this.options.worker?.taskQueue;
    if (!taskQueue) throw new Error('notifications runs without a worker: no task queue to start notifications on');
    const id = notificationWorkflowId(input);
    const { started } = await startOnce<typeof notifyWorkflow>(this.temporal.client, NOTIFY_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: id,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [input],
      typedSearchAttributes: buildSearchAttributes({ tenantId: input.tenantId, taskId: input.taskId, subjectId: input.taskId, triggerType: input.trigger }),
      staticSummary: `Notify (${input.trigger}, ${input.rule.channel}) for task ${input.taskId}: rule ${input.rule.ruleId}, occurrence ${input.occurrence}`,
    });
    return { workflowId: id, started };
  }
}
