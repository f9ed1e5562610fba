import { join } from 'node:path';
import { crmOrganizationEventsV1, ledgerBuildEventsV1, schedulingReminderPolicyEventsV1, tasksBusinessCalendarEventsV1, tasksTaskEventsV1 } from '@projectflo/contracts';
import type { EventSourcedServiceOptions } from '@projectflo/platform/service';
import { SCHEDULING_TOPIC_MAP } from '@projectflo/scheduling/domain';
import { schedulingEntities } from './read-model/scheduling-read-model';
import { SCHEDULING_SERVICE } from './scheduling.constants';

/** Absolute path of the workflow module the worker bundles (resolved, so .ts under swc/jest and .js when compiled). */
export const SCHEDULING_WORKFLOWS_PATH: string = require.resolve('./task-schedules/task-timers.workflows');

/**
 * What makes the scheduling service: its schema, the topics it publishes (task schedules and
 * reminder policies), what its consumers read, its migrations and its worker (the durable task
 * timers). DB_SCHEMA and TEMPORAL_TASK_QUEUE override schema and task queue for isolated test instances.
 */
export const SCHEDULING_SERVICE_OPTIONS: EventSourcedServiceOptions = {
  service: SCHEDULING_SERVICE,
  schema: 'scheduling',
  topics: SCHEDULING_TOPIC_MAP,
  extraTopics: [tasksTaskEventsV1.TASKS_TASK_TOPIC_V1, tasksBusinessCalendarEventsV1.TASKS_BUSINESS_CALENDAR_TOPIC_V1, crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1, ledgerBuildEventsV1.LEDGER_BUILD_TOPIC_V1],
  consumes: {
    'user-directory': [crmOrganizationEventsV1.CRM_MEMBERSHIP_SOURCE_V1.topic],
    'task-schedules': [tasksTaskEventsV1.TASKS_TASK_TOPIC_V1],
    'business-calendar': [tasksBusinessCalendarEventsV1.TASKS_BUSINESS_CALENDAR_TOPIC_V1],
    'policy-replan': [schedulingReminderPolicyEventsV1.SCHEDULING_REMINDER_POLICY_TOPIC_V1],
    'read-model': Object.values(SCHEDULING_TOPIC_MAP),
    'project-assignments': [ledgerBuildEventsV1.LEDGER_BUILD_TOPIC_V1],
  },
  entities: [...schedulingEntities],
  migrationsPath: join(__dirname, 'migrations'),
  // Reminder timers fire on time only if their workflow tasks do not wait behind the service's
  // other work: measured, a burst of 2,000 starts made 2 of 120 firings 10–20 s late in the main
  // thread, none past 2 s in a thread of their own (docs/benchmarks.md, "Lean start").
  worker: { taskQueue: 'scheduling', workflowsPath: SCHEDULING_WORKFLOWS_PATH, ownWorkflowThread: true },
};
