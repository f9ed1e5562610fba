import type { ViewFold } from '@projectflo/platform/core';
import {
  evolveProjectAssignments,
  initialProjectAssignmentsState,
  openPlaces,
  type ProjectAssignmentEvent,
  type ProjectAssignmentsState,
} from '@projectflo/scheduling/domain';

/** One booked build's plan: the decider's state (its lines and their places) and what ListProjectAssignments filters by. */
export interface ProjectAssignmentPlanRow {
  planId: string;
  tenantId: string;
  buildId: string;
  state: ProjectAssignmentsState;
  /** YYYY-MM-DD, null while the build has none. */
  eventDate: string | null;
  /** Open places over all its lines: a plan with any is listed by `unassigned_only`. */
  openPlaces: number;
  updatedAt: Date;
  /** Version of the plan stream. */
  version: number;
}

export const PROJECT_ASSIGNMENT_EVENT_TYPES: readonly ProjectAssignmentEvent['type'][] = ['ProjectAssignmentsPlaced', 'ProjectContributorAssigned'];

/** The row after one event of the plan's stream (the projection's, the rebuild's and the commands' reply fold). */
export const evolveProjectAssignmentPlanRow: ViewFold<ProjectAssignmentPlanRow> = (row, recorded) => {
  const event = { type: recorded.type, data: recorded.data } as ProjectAssignmentEvent;
  const state = evolveProjectAssignments(row?.state ?? initialProjectAssignmentsState(), event);
  if (state.status !== 'placed') return undefined;
  return {
    planId: state.planId,
    tenantId: recorded.metadata.tenantId,
    buildId: state.buildId,
    state,
    eventDate: state.eventDate,
    openPlaces: Object.values(state.assignments).reduce((sum, a) => sum + openPlaces(a), 0),
    updatedAt: new Date(recorded.metadata.occurredAt),
    version: recorded.streamPosition,
  };
};
