import { type ContractChecks, contractChecks, schedulingEventContractsV1 } from '@projectflo/contracts';
import type { Projection } from '@projectflo/platform/persistence';
import { CALENDAR_ENTITIES } from '../calendars/calendars.entities';
import { contributorCalendarProjection } from '../calendars/calendars.projection';
import { ProjectAssignmentPlanSchema } from '../project-assignments/project-assignments.entities';
import { projectAssignmentPlanProjection } from '../project-assignments/project-assignments.projection';
import { TaskScheduleSchema } from '../task-schedules/task-schedule.entities';
import { taskScheduleProjection } from '../task-schedules/task-schedule.projection';

/** Every entity of the scheduling read model (schema `scheduling`, migrations in ../migrations). */
export const schedulingEntities = [TaskScheduleSchema, ...CALENDAR_ENTITIES, ProjectAssignmentPlanSchema] as const;

/** Every projection the read-model consumer feeds; each owns disjoint tables and event types. */
export const schedulingProjections: readonly Projection[] = [taskScheduleProjection, contributorCalendarProjection, projectAssignmentPlanProjection];

/** What the read-model consumer checks of an event before projecting it: its published contract (scheduling's topics). */
export function schedulingReadModelChecks(type: string): ContractChecks {
  return contractChecks(schedulingEventContractsV1, type);
}
