import { schedulingContributorCalendarEventsV1, schedulingProjectAssignmentEventsV1, schedulingReminderPolicyEventsV1, schedulingTaskScheduleEventsV1 } from '@projectflo/contracts';

/** Aggregate types of scheduling: the prefix of their stream names (`<type>-<id>`) and the key of the relay's topic map. */
export const SCHEDULING_AGGREGATE_TYPES = { taskSchedule: 'task-schedule', reminderPolicy: 'reminder-policy', contributorCalendar: 'contributor-calendar', projectAssignments: 'project-assignments' } as const;

/** Stream names: a task's schedule per task id, a tenant's reminder policy per tenant id. */
export const SchedulingStreams = {
  taskSchedule: (taskId: string) => `${SCHEDULING_AGGREGATE_TYPES.taskSchedule}-${taskId}`,
  reminderPolicy: (tenantId: string) => `${SCHEDULING_AGGREGATE_TYPES.reminderPolicy}-${tenantId}`,
  /** A contributor's calendar, by its id (contributorCalendarId of tenant and contributor). */
  contributorCalendar: (calendarId: string) => `${SCHEDULING_AGGREGATE_TYPES.contributorCalendar}-${calendarId}`,
  /** A booked build's project assignments, by plan id (projectAssignmentPlanId of tenant and build). */
  projectAssignments: (planId: string) => `${SCHEDULING_AGGREGATE_TYPES.projectAssignments}-${planId}`,
} as const;

/** Aggregate type → topic: what the relay publishes. */
export const SCHEDULING_TOPIC_MAP: Readonly<Record<string, string>> = {
  [SCHEDULING_AGGREGATE_TYPES.taskSchedule]: schedulingTaskScheduleEventsV1.SCHEDULING_TASK_SCHEDULE_TOPIC_V1,
  [SCHEDULING_AGGREGATE_TYPES.reminderPolicy]: schedulingReminderPolicyEventsV1.SCHEDULING_REMINDER_POLICY_TOPIC_V1,
  [SCHEDULING_AGGREGATE_TYPES.contributorCalendar]: schedulingContributorCalendarEventsV1.SCHEDULING_CONTRIBUTOR_CALENDAR_TOPIC_V1,
  [SCHEDULING_AGGREGATE_TYPES.projectAssignments]: schedulingProjectAssignmentEventsV1.SCHEDULING_PROJECT_ASSIGNMENT_TOPIC_V1,
};
