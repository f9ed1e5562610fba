import { EntitySchema } from '@mikro-orm/postgresql';
import type { ProjectAssignmentPlanRow } from './project-assignments.view';

export const ProjectAssignmentPlanSchema = new EntitySchema<ProjectAssignmentPlanRow>({
  name: 'ProjectAssignmentPlanRow',
  tableName: 'project_assignment_plans',
  properties: {
    planId: { type: 'string', primary: true, fieldName: 'plan_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    buildId: { type: 'string', fieldName: 'build_id' },
    state: { type: 'json' },
    eventDate: { type: 'string', fieldName: 'event_date', nullable: true },
    openPlaces: { type: 'integer', fieldName: 'open_places' },
    updatedAt: { type: 'datetime', fieldName: 'updated_at' },
    version: { type: 'integer' },
  },
});
