import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { schedulingTaskScheduleEventsV1, tasksTaskEventsV1 } from '@projectflo/contracts';
import { type Clock, CLOCK, deriveId, type DomainEvent } from '@projectflo/platform/core';
import type { EventEnvelope } from '@projectflo/platform/messaging';
import type { OrmTx } from '@projectflo/platform/persistence';
import { CommandExecutor, ConsumerFactory } from '@projectflo/platform/service';
import { NotificationsStreams } from '../notifications.streams';
import { notificationRulesDecider, rulesOf } from '../rules/notification-rules.decider';
import type { NotificationTrigger } from '../rules/notification-rules.events';
import { onContract } from '../shared/on-contract';
import { NotificationRequests, notificationWorkflowId } from './notification-requests.repository';
import type { NotificationInput } from './notification.types';

const tasks = tasksTaskEventsV1.tasksTaskEventContractsV1;
const schedules = schedulingTaskScheduleEventsV1.schedulingTaskScheduleEventContractsV1;

/** One occurrence of a trigger on a task. */
export interface TriggerOccurrence {
  readonly trigger: NotificationTrigger;
  readonly tenantId: string;
  readonly taskId: string;
  /** The same for every delivery of the same cause: `created`, `completed:<event id>`, `<offset>@<scheduledFor>`, `due@<dueAt>`, `overdue@<dueAt>`. */
  readonly occurrence: string;
  /** The task's template when the event names it (a rule for another template does not match); undefined when only the task's facts know it. */
  readonly templateKey: string | undefined;
  readonly reminderKey: string | null;
}

/**
 * Group `triggers` on tasks.task.v1 and scheduling.task-schedule.v1: TaskCreated, TaskStatusChanged
 * to Completed, ReminderDue, TaskDue and TaskOverdue. For each rule of the tenant with that trigger
 * (read from the rule catalog's stream in the event store, never from a read model that may lag)
 * it records a notification request in its inbox transaction, with an id derived from (rule,
 * task, occurrence): a redelivered or repeated trigger is the same request, the same workflow and
 * the same deliveries. Recipients are resolved later, in the workflow, where missing facts are
 * waited for.
 */
@Injectable()
export class TriggersConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly executor: CommandExecutor,
    private readonly requests: NotificationRequests,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const consumer = this.consumers.events<DomainEvent>('triggers', [tasksTaskEventsV1.TASKS_TASK_TOPIC_V1, schedulingTaskScheduleEventsV1.SCHEDULING_TASK_SCHEDULE_TOPIC_V1]);
    onContract(consumer, tasks, 'TaskCreated', (d, event, tx) =>
      this.trigger({ trigger: 'task_created', tenantId: d.tenantId, taskId: d.taskId, occurrence: 'created', templateKey: d.source.templateKey, reminderKey: null }, event, tx),
    );
    onContract(consumer, tasks, 'TaskStatusChanged', (d, event, tx) =>
      d.to === 'Completed'
        ? this.trigger({ trigger: 'task_completed', tenantId: d.tenantId, taskId: d.taskId, occurrence: `completed:${event.eventId}`, templateKey: undefined, reminderKey: null }, event, tx)
        : Promise.resolve(),
    );
    onContract(consumer, schedules, 'ReminderDue', (d, event, tx) =>
      this.trigger(
        { trigger: 'reminder_due', tenantId: d.tenantId, taskId: d.taskId, occurrence: `${d.reminderKey}@${d.scheduledFor}`, templateKey: d.templateKey ?? undefined, reminderKey: d.reminderKey },
        event,
        tx,
      ),
    );
    onContract(consumer, schedules, 'TaskDue', (d, event, tx) =>
      this.trigger({ trigger: 'task_due', tenantId: d.tenantId, taskId: d.taskId, occurrence: `due@${d.dueAt}`, templateKey: undefined, reminderKey: null }, event, tx),
    );
    onContract(consumer, schedules, 'TaskOverdue', (d, event, tx) =>
      this.trigger({ trigger: 'task_overdue', tenantId: d.tenantId, taskId: d.taskId, occurrence: `overdue@${d.dueAt}`, templateKey: undefined, reminderKey: null }, event, tx),
    );
  }

  private async trigger(occurrence: TriggerOccurrence, event: EventEnvelope, tx: OrmTx): Promise<void> {
    const { tenantId, taskId, trigger, templateKey } = occurrence;
    const { state } = await this.executor.load(notificationRulesDecider, NotificationsStreams.notificationRules(tenantId), tenantId);
    const matching = rulesOf(state).filter((rule) => rule.trigger === trigger && (rule.templateKey === null || templateKey === undefined || rule.templateKey === templateKey));
    for (const rule of matching) {
      const input: NotificationInput = {
        tenantId,
        notificationId: deriveId('notification', rule.ruleId, taskId, occurrence.occurrence),
        rule,
        trigger,
        taskId,
        occurrence: occurrence.occurrence,
        reminderKey: occurrence.reminderKey,
        causeEventId: event.eventId,
        correlationId: event.metadata.correlationId ?? null,
        triggeredAt: event.metadata.occurredAt,
      };
      await this.requests.record(tx, { workflowId: notificationWorkflowId(input), tenantId, input, requestedAt: this.clock.now() });
    }
  }
}
