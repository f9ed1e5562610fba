import type { schedulingAssignmentsV1 } from '@projectflo/contracts';
import { toTimestamp } from '@projectflo/platform/grpc';
import { type AssignmentState, openPlaces, type ProjectAssignmentsState } from '@projectflo/scheduling/domain';

/** One line of a plan as the API shows it. */
export function assignmentToProto(
  plan: Extract<ProjectAssignmentsState, { status: 'placed' }>,
  a: AssignmentState,
  planVersion: number,
): schedulingAssignmentsV1.ProjectAssignment {
  return {
    buildId: plan.buildId,
    buildName: plan.buildName,
    projectId: plan.projectId ?? '',
    eventDate: plan.eventDate ?? '',
    assignmentId: a.assignmentId,
    sceneId: a.sceneId,
    sceneName: a.sceneName,
    operatorTypeId: a.operatorTypeId,
    operatorTypeName: a.operatorTypeName,
    quantity: a.quantity,
    openPlaces: openPlaces(a),
    hours: a.hours ?? '',
    buildVersion: a.buildVersion,
    places: a.contributors.map((c) => ({ contributorId: c.contributorId, calendarEntryId: c.calendarEntryId, assignedAt: toTimestamp(c.assignedAt) })),
    planVersion: String(planVersion),
  };
}
