import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { contractChecks, schedulingEventContractsV1, schedulingReminderPolicyEventsV1, tasksBusinessCalendarEventsV1, tasksEventContractsV1 } from '@projectflo/contracts';
import { automationMetadata, type Clock, CLOCK, deriveId } from '@projectflo/platform/core';
import type { EventEnvelope } from '@projectflo/platform/messaging';
import type { OrmTx } from '@projectflo/platform/persistence';
import { CommandExecutor, ConsumerFactory } from '@projectflo/platform/service';
import { policyOf, reminderPolicyDecider, SchedulingStreams, taskScheduleDecider } from '@projectflo/scheduling/domain';
import type { z } from 'zod';
import { SCHEDULING_SERVICE } from '../scheduling.constants';
import { TimerRequestsRepository } from '../task-schedules/timer-requests.repository';
import { type BusinessCalendarSetPayload, businessCalendarOf, keepBusinessCalendar } from './business-calendars.repository';

type BusinessCalendarSet = { readonly type: 'BusinessCalendarSet'; readonly data: BusinessCalendarSetPayload };
type ReminderPolicySet = { readonly type: 'ReminderPolicySet'; readonly data: z.infer<typeof schedulingReminderPolicyEventsV1.ReminderPolicySetV1> };

/** The request id of one task's replan: one per (cause, task), so a redelivery is a no-op. */
export function replanRequestId(causeEventId: string, taskId: string): string {
  return deriveId('replan', causeEventId, taskId);
}

/**
 * Editing a reminder policy or the business calendar reschedules the pending reminders of open
 * tasks. Group `business-calendar` keeps scheduling's copy of each tenant's calendar
 * (tasks.business-calendar.v1); group `policy-replan` reads scheduling's own policy events. Either
 * change replans every open schedule of the tenant (ReplanTaskSchedule, a no-op where the plan
 * stays the same) and records a timer request for each, so its workflow reads the new plan. The
 * open schedules are found in the event store itself (never behind), not in a read model.
 */
@Injectable()
export class ReplanConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly timers: TimerRequestsRepository,
  ) {}

  onModuleInit(): void {
    this.consumers
      .events<BusinessCalendarSet>('business-calendar', [tasksBusinessCalendarEventsV1.TASKS_BUSINESS_CALENDAR_TOPIC_V1])
      .on(
        'BusinessCalendarSet',
        async (event, tx) => {
          if (await keepBusinessCalendar(tx, event.data)) await this.replanTenant(event, tx, event.data.setAt);
        },
        contractChecks(tasksEventContractsV1, 'BusinessCalendarSet'),
      );
    this.consumers
      .events<ReminderPolicySet>('policy-replan', [schedulingReminderPolicyEventsV1.SCHEDULING_REMINDER_POLICY_TOPIC_V1])
      .on('ReminderPolicySet', (event, tx) => this.replanTenant(event, tx, event.data.setAt), contractChecks(schedulingEventContractsV1, 'ReminderPolicySet'));
  }

  private async replanTenant(event: EventEnvelope<BusinessCalendarSet | ReminderPolicySet>, tx: OrmTx, plannedFrom: string): Promise<void> {
    const { tenantId } = event.data;
    const { state } = await this.executor.load(reminderPolicyDecider, SchedulingStreams.reminderPolicy(tenantId), tenantId);
    const facts = { policy: policyOf(state), calendar: await businessCalendarOf(tx, tenantId), plannedFrom };
    for (const taskId of await openScheduleTaskIds(tx, tenantId)) {
      const { events } = await this.executor.run(
        taskScheduleDecider,
        SchedulingStreams.taskSchedule(taskId),
        { type: 'ReplanTaskSchedule', data: { ...facts, taskId } },
        {
          metadata: automationMetadata({
            service: SCHEDULING_SERVICE,
            tenantId,
            requestId: replanRequestId(event.eventId, taskId),
            now: this.clock.now(),
            cause: { correlationId: event.metadata.correlationId, causationId: event.eventId, automationDepth: event.metadata.automationDepth ?? 0 },
          }),
        },
      );
      if (events.length > 0) await this.timers.request(tx, { tenantId, taskId }, this.clock.now());
    }
  }
}

/** The tasks of a tenant whose schedule is open, from the event store (scheduled and never ended). */
async function openScheduleTaskIds(tx: OrmTx, tenantId: string): Promise<string[]> {
  const rows = await tx.query<{ task_id: string }>(
    `SELECT s.data->>'taskId' AS task_id FROM events s
      WHERE s.tenant_id = $1 AND s.type = 'TaskScheduled'
        AND NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_name = s.stream_name AND e.type = 'TaskScheduleEnded')
      ORDER BY s.global_position`,
    [tenantId],
  );
  return rows.map((r) => r.task_id);
}
