import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { contractChecks, tasksEventContractsV1, tasksTaskEventsV1 } from '@projectflo/contracts';
import { automationMetadata, type Clock, CLOCK, deriveId, isRejection } from '@projectflo/platform/core';
import { type EventEnvelope, PoisonMessageError } from '@projectflo/platform/messaging';
import type { OrmTx } from '@projectflo/platform/persistence';
import { CommandExecutor, ConsumerFactory } from '@projectflo/platform/service';
import { policyOf, reminderPolicyDecider, SchedulingStreams, taskScheduleDecider, type PlanFacts, type TaskScheduleCommand } from '@projectflo/scheduling/domain';
import type { z } from 'zod';
import { businessCalendarOf } from '../reminders/business-calendars.repository';
import { SCHEDULING_SERVICE } from '../scheduling.constants';
import type { CommandIntent } from '@projectflo/platform/service';
import { TimerRequestsRepository } from './timer-requests.repository';

type TaskEvent<T extends string, S extends z.ZodTypeAny> = { readonly type: T; readonly data: z.infer<S> };
type TaskCreated = TaskEvent<'TaskCreated', typeof tasksTaskEventsV1.TaskCreatedV1>;
type TaskRescheduled = TaskEvent<'TaskRescheduled', typeof tasksTaskEventsV1.TaskRescheduledV1>;
type TaskStatusChanged = TaskEvent<'TaskStatusChanged', typeof tasksTaskEventsV1.TaskStatusChangedV1>;
type TaskArchived = TaskEvent<'TaskArchived', typeof tasksTaskEventsV1.TaskArchivedV1>;
type ScheduledTaskEvent = TaskCreated | TaskRescheduled | TaskStatusChanged | TaskArchived;

export const TASK_SCHEDULES_PURPOSE = 'task-schedules';

/** The request id of the schedule command a task event causes: one per event, so a redelivery is a no-op. */
export function scheduleRequestId(taskEventId: string): string {
  return deriveId('task-schedule', taskEventId);
}

/**
 * Group `task-schedules` on tasks.task.v1: every task with a due date gets a schedule (TaskCreated
 * → ScheduleTask), a moved due date moves it (TaskRescheduled), completion and archiving end it.
 * Plans are made from the tenant's reminder policy (its own stream: strongly consistent) and
 * business calendar (the copy the business-calendar consumer keeps), from the time of the task
 * event (reminders already past then are left out). The command is appended, then a timer request
 * recorded in the inbox transaction; the TimerDispatcher signals the task's workflow after commit.
 */
@Injectable()
export class TaskSchedulesConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly timers: TimerRequestsRepository,
  ) {}

  onModuleInit(): void {
    const checks = (type: ScheduledTaskEvent['type']) => contractChecks(tasksEventContractsV1, type);
    this.consumers
      .events<ScheduledTaskEvent>(TASK_SCHEDULES_PURPOSE, [tasksTaskEventsV1.TASKS_TASK_TOPIC_V1])
      .on('TaskCreated', async (event, tx) => {
        const { taskId, tenantId, dueAt, source, createdAt } = event.data;
        const facts = await this.facts(tx, tenantId, createdAt);
        await this.apply(event, tx, { type: 'ScheduleTask', data: { ...facts, taskId, templateKey: source.templateKey, dueAt } });
      }, checks('TaskCreated'))
      .on('TaskRescheduled', async (event, tx) => {
        const { taskId, tenantId, dueAt, at } = event.data;
        const facts = await this.facts(tx, tenantId, at);
        await this.apply(event, tx, { type: 'MoveTaskSchedule', data: { ...facts, taskId, templateKey: null, dueAt } });
      }, checks('TaskRescheduled'))
      .on(
        'TaskStatusChanged',
        (event, tx) => (event.data.to === 'Completed' ? this.apply(event, tx, { type: 'EndTaskSchedule', data: { taskId: event.data.taskId, reason: 'completed' } }) : Promise.resolve()),
        checks('TaskStatusChanged'),
      )
      .on('TaskArchived', (event, tx) => this.apply(event, tx, { type: 'EndTaskSchedule', data: { taskId: event.data.taskId, reason: 'archived' } }), checks('TaskArchived'));
  }

  private async facts(tx: OrmTx, tenantId: string, plannedFrom: string): Promise<PlanFacts> {
    const { state } = await this.executor.load(reminderPolicyDecider, SchedulingStreams.reminderPolicy(tenantId), tenantId);
    return { policy: policyOf(state), calendar: await businessCalendarOf(tx, tenantId), plannedFrom };
  }

  private async apply(event: EventEnvelope<ScheduledTaskEvent>, tx: OrmTx, intent: CommandIntent<TaskScheduleCommand>): Promise<void> {
    const { tenantId, taskId } = event.data;
    try {
      await this.executor.run(taskScheduleDecider, SchedulingStreams.taskSchedule(taskId), intent, {
        metadata: automationMetadata({
          service: SCHEDULING_SERVICE,
          tenantId,
          requestId: scheduleRequestId(event.eventId),
          now: this.clock.now(),
          cause: { correlationId: event.metadata.correlationId, causationId: event.eventId, automationDepth: event.metadata.automationDepth ?? 0 },
        }),
      });
    } catch (error) {
      // A refusal (another tenant's task id) will never heal.
      if (isRejection(error)) throw new PoisonMessageError('rejected-command', `${intent.type} on task ${taskId} was rejected: ${error.message}`);
      throw error;
    }
    await this.timers.request(tx, { tenantId, taskId }, this.clock.now());
  }
}
