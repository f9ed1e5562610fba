import { join } from 'node:path';
import { schedulingReminderPolicyEventsV1, schedulingTaskScheduleEventsV1 } from '@projectflo/contracts';
import type { EventSourcedServiceOptions } from '@projectflo/platform/service';

/** What makes the scheduling service: its schema, the topics it publishes (it consumes none yet), its migrations and its worker. */
export const SCHEDULING_SERVICE_OPTIONS: EventSourcedServiceOptions = {
  service: 'scheduling',
  schema: 'scheduling',
  topics: {
    'task-schedule': schedulingTaskScheduleEventsV1.SCHEDULING_TASK_SCHEDULE_TOPIC_V1,
    'reminder-policy': schedulingReminderPolicyEventsV1.SCHEDULING_REMINDER_POLICY_TOPIC_V1,
  },
  entities: [],
  migrationsPath: join(__dirname, 'migrations'),
  worker: { taskQueue: 'scheduling' },
};
