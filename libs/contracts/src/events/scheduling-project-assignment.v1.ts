import { z } from 'zod';
import { actor, calendarDate, id, instant, list, requiredText, uuid } from './payload-fields';

/*
 * Payload schemas of the events on `scheduling.project-assignment.v1` (key: the plan id, one plan
 * per tenant and booked build): the coverage lines a booking (ledger.build.v1 BuildBooked) placed,
 * and the contributors assigned to their places (each booked on the contributor's calendar as a
 * project assignment entry, published on scheduling.contributor-calendar.v1). Every payload names
 * its tenant, plan and build. Rules for change as in crm-lead.v1.ts.
 */

export const SCHEDULING_PROJECT_ASSIGNMENT_TOPIC_V1 = 'scheduling.project-assignment.v1';

export const PlacedAssignmentV1 = z.object({
  assignmentId: id,
  sceneId: id,
  sceneName: requiredText(200),
  operatorTypeId: id,
  operatorTypeName: requiredText(200),
  quantity: z.number().int().min(1).max(100),
  hours: z.string().nullable(),
  buildVersion: z.number().int().min(1),
});

export const ProjectAssignmentsPlacedV1 = z.object({
  tenantId: id,
  planId: uuid,
  buildId: id,
  buildVersion: z.number().int().min(1),
  buildName: requiredText(200),
  projectId: id.nullable(),
  eventDate: calendarDate.nullable(),
  assignments: list(PlacedAssignmentV1, 200),
  placedAt: instant,
});

export const ProjectContributorAssignedV1 = z.object({
  tenantId: id,
  planId: uuid,
  buildId: id,
  assignmentId: id,
  contributorId: id,
  calendarEntryId: uuid,
  assignedBy: actor,
  assignedAt: instant,
});

/** Event type → its current schema version and payload schema. */
export const schedulingProjectAssignmentEventContractsV1 = {
  ProjectAssignmentsPlaced: { schemaVersion: 1, schema: ProjectAssignmentsPlacedV1 },
  ProjectContributorAssigned: { schemaVersion: 1, schema: ProjectContributorAssignedV1 },
} as const;
