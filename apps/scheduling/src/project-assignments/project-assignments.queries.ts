import { Inject, Injectable } from '@nestjs/common';
import type { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import type { schedulingAssignmentsV1 } from '@projectflo/contracts';
import { type RequestContext, text, validate } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { openPlaces, PROJECT_ASSIGNMENT_LIMITS } from '@projectflo/scheduling/domain';
import { z } from 'zod';
import { ProjectAssignmentPlanSchema } from './project-assignments.entities';
import { assignmentToProto } from './project-assignments.mapping';
import type { ProjectAssignmentPlanRow } from './project-assignments.view';

const listRequest = z.object({ buildId: text(PROJECT_ASSIGNMENT_LIMITS.id), unassignedOnly: z.boolean() });

/** Most lines one answer holds (plans are read until it is reached). */
const MAX_LINES = 1_000;

/** The project assignments of the tenant's booked builds, from the plans' read model. */
@Injectable()
export class ProjectAssignmentQueries {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  async list(ctx: RequestContext, request: schedulingAssignmentsV1.ListProjectAssignmentsRequest): Promise<schedulingAssignmentsV1.ListProjectAssignmentsResponse> {
    const { buildId, unassignedOnly } = validate(listRequest, { buildId: request.buildId ?? '', unassignedOnly: request.unassignedOnly ?? false });
    const where: FilterQuery<ProjectAssignmentPlanRow> = {
      tenantId: ctx.tenantId,
      ...(buildId ? { buildId } : {}),
      ...(unassignedOnly ? { openPlaces: { $gt: 0 } } : {}),
    };
    const plans = await withTenantScope(this.orm, ctx.tenantId, ({ em }) =>
      em.find(ProjectAssignmentPlanSchema, where, { orderBy: { eventDate: 'asc nulls last', buildId: 'asc' }, limit: MAX_LINES }),
    );
    const assignments: schedulingAssignmentsV1.ProjectAssignment[] = [];
    for (const plan of plans) {
      if (plan.state.status !== 'placed') continue;
      const lines = Object.values(plan.state.assignments)
        .filter((a) => !unassignedOnly || openPlaces(a) > 0)
        .sort((a, b) => a.assignmentId.localeCompare(b.assignmentId));
      for (const line of lines) {
        if (assignments.length >= MAX_LINES) return { assignments };
        assignments.push(assignmentToProto(plan.state, line, plan.version));
      }
    }
    return { assignments };
  }
}
