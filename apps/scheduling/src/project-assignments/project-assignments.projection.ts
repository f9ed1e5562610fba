import { rowProjection } from '@projectflo/platform/persistence';
import { ProjectAssignmentPlanSchema } from './project-assignments.entities';
import { evolveProjectAssignmentPlanRow, PROJECT_ASSIGNMENT_EVENT_TYPES } from './project-assignments.view';

/** A booked build's plan of project assignments (rowProjection, idempotent by the stream version). */
export const projectAssignmentPlanProjection = rowProjection({
  name: 'scheduling-project-assignments',
  handles: PROJECT_ASSIGNMENT_EVENT_TYPES,
  entity: ProjectAssignmentPlanSchema,
  table: 'project_assignment_plans',
  key: (event) => ({ planId: (event.data as { planId: string }).planId }),
  fold: evolveProjectAssignmentPlanRow,
});
