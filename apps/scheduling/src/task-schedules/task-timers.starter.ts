import { Inject, Injectable } from '@nestjs/common';
import { type EventSourcedServiceOptions, SERVICE_OPTIONS, TEMPORAL } from '@projectflo/platform/service';
import { buildSearchAttributes, type TemporalClientHandle, workflowId } from '@projectflo/platform/workflow';
import type { TaskTimersInput } from './task-timers.types';
import type { taskTimersWorkflow } from './task-timers.workflows';

export const TASK_TIMERS_WORKFLOW_TYPE = 'taskTimersWorkflow';
export const SCHEDULE_CHANGED_SIGNAL = 'scheduleChanged';

/** One workflow per task: `scheduling/<tenant>/task/<task>` (ids only). */
export function taskTimersWorkflowId(input: TaskTimersInput): string {
  return workflowId('scheduling', input.tenantId, 'task', input.taskId);
}

/**
 * Tells a task's timers workflow that its schedule changed, starting it when it is not running
 * (signalWithStart: one running execution per task whatever the number of changes; a finished
 * one is started again, it reads the schedule and ends when nothing is pending). Findable by
 * TenantId and TaskId; the static summary names the task, the current details the next firing.
 */
@Injectable()
export class TaskTimersStarter {
  constructor(
    @Inject(TEMPORAL) private readonly temporal: TemporalClientHandle,
    @Inject(SERVICE_OPTIONS) private readonly options: EventSourcedServiceOptions,
  ) {}

  async signal(input: TaskTimersInput): Promise<void> {
    const taskQueue = this.options.worker?.taskQueue;
    if (!taskQueue) throw new Error('scheduling runs without a worker: no task queue for task timers');
    await this.temporal.client.workflow.signalWithStart<typeof taskTimersWorkflow, []>(TASK_TIMERS_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: taskTimersWorkflowId(input),
      args: [input],
      signal: SCHEDULE_CHANGED_SIGNAL,
      signalArgs: [],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: buildSearchAttributes({ tenantId: input.tenantId, taskId: input.taskId }),
      staticSummary: `Reminders, due and overdue timers of task ${input.taskId}`,
    });
  }
}
