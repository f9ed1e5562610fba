import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { contractChecks, schedulingEventContractsV1, schedulingTaskScheduleEventsV1 } from '@projectflo/contracts';
import { automationMetadata, type Clock, CLOCK, deriveId, isRejection } from '@projectflo/platform/core';
import { type EventEnvelope, PoisonMessageError } from '@projectflo/platform/messaging';
import { CommandExecutor, ConsumerFactory } from '@projectflo/platform/service';
import { TaskEngineStreams, taskDecider } from '@projectflo/task-engine/domain';
import type { z } from 'zod';
import { TASK_ENGINE_SERVICE } from '../shared/task-engine.constants';

type TaskOverdue = { readonly type: 'TaskOverdue'; readonly data: z.infer<typeof schedulingTaskScheduleEventsV1.TaskOverdueV1> };

/** The request id of one overdue flag: one per scheduling event, so a redelivery is a no-op. */
export function markOverdueRequestId(overdueEventId: string): string {
  return deriveId('mark-overdue', overdueEventId);
}

/**
 * Group `overdue` on scheduling.task-schedule.v1: scheduling's TaskOverdue (its durable timer found
 * the task open at its overdue moment) becomes MarkTaskOverdue on the task's stream, decided there
 * against the task's current state: a completed or archived task, or one whose due date moved since
 * (a stale alert), stays as it is. The decision reads the event store, never a read model.
 */
@Injectable()
export class OverdueConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.consumers
      .events<TaskOverdue>('overdue', [schedulingTaskScheduleEventsV1.SCHEDULING_TASK_SCHEDULE_TOPIC_V1])
      .on('TaskOverdue', (event) => this.markOverdue(event), contractChecks(schedulingEventContractsV1, 'TaskOverdue'));
  }

  private async markOverdue(event: EventEnvelope<TaskOverdue>): Promise<void> {
    const { tenantId, taskId, dueAt } = event.data;
    try {
      await this.executor.run(
        taskDecider,
        TaskEngineStreams.task(taskId),
        { type: 'MarkTaskOverdue', data: { taskId, dueAt } },
        {
          metadata: automationMetadata({
            service: TASK_ENGINE_SERVICE,
            tenantId,
            requestId: markOverdueRequestId(event.eventId),
            now: this.clock.now(),
            cause: { correlationId: event.metadata.correlationId, causationId: event.eventId, automationDepth: event.metadata.automationDepth ?? 0 },
          }),
        },
      );
    } catch (error) {
      // A refusal (a task this tenant does not have, a malformed due date) will never heal.
      if (isRejection(error)) {
        throw new PoisonMessageError('rejected-command', `MarkTaskOverdue on task ${taskId} was rejected: ${error.message}`);
      }
      throw error;
    }
  }
}
