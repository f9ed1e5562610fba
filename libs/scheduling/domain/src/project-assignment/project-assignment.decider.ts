import { assertNever, deriveId, DomainError, defineDecider, Violations } from '@projectflo/platform/core';
import { toInstantString } from '../shared/time';
import type { AssignProjectContributor, PlaceProjectAssignments, ProjectAssignmentCommand } from './project-assignment.commands';
import type { PlacedAssignment, ProjectAssignmentEvent } from './project-assignment.events';

export const PROJECT_ASSIGNMENT_LIMITS = { id: 128, name: 200, assignments: 200, quantity: 100 } as const;
/** Coverage lines per ProjectAssignmentsPlaced event. */
const PLACE_CHUNK = 100;

export interface AssignmentState extends PlacedAssignment {
  /** Who took its places, in the order they were assigned. */
  readonly contributors: readonly { readonly contributorId: string; readonly calendarEntryId: string; readonly assignedAt: string }[];
}

export type ProjectAssignmentsState =
  | { readonly status: 'none' }
  | {
      readonly status: 'placed';
      readonly planId: string;
      readonly buildId: string;
      readonly buildName: string;
      readonly projectId: string | null;
      readonly eventDate: string | null;
      /** The latest build version placed. */
      readonly buildVersion: number;
      readonly assignments: Readonly<Record<string, AssignmentState>>;
    };

export const initialProjectAssignmentsState = (): ProjectAssignmentsState => ({ status: 'none' });

/** The plan of a build's assignments: one stream per (tenant, build). */
export function projectAssignmentPlanId(tenantId: string, buildId: string): string {
  return deriveId('project-assignments', tenantId, buildId);
}

/** The calendar entry of a contributor's place on an assignment: one per (plan, assignment, contributor). */
export function projectAssignmentEntryId(planId: string, assignmentId: string, contributorId: string): string {
  return deriveId('project-assignment-entry', planId, assignmentId, contributorId);
}

/** Places still open on an assignment. */
export const openPlaces = (a: AssignmentState): number => a.quantity - a.contributors.length;

export function evolveProjectAssignments(state: ProjectAssignmentsState, event: ProjectAssignmentEvent): ProjectAssignmentsState {
  switch (event.type) {
    case 'ProjectAssignmentsPlaced': {
      const d = event.data;
      const previous = state.status === 'placed' ? state.assignments : {};
      const added = Object.fromEntries(d.assignments.map((a) => [a.assignmentId, { ...a, contributors: [] }]));
      return {
        status: 'placed',
        planId: d.planId,
        buildId: d.buildId,
        buildName: d.buildName,
        projectId: d.projectId,
        eventDate: d.eventDate,
        buildVersion: state.status === 'placed' ? Math.max(state.buildVersion, d.buildVersion) : d.buildVersion,
        assignments: { ...previous, ...added },
      };
    }
    case 'ProjectContributorAssigned': {
      if (state.status !== 'placed') return state;
      const d = event.data;
      const assignment = state.assignments[d.assignmentId];
      if (!assignment) return state;
      const contributors = [...assignment.contributors, { contributorId: d.contributorId, calendarEntryId: d.calendarEntryId, assignedAt: d.assignedAt }];
      return { ...state, assignments: { ...state.assignments, [d.assignmentId]: { ...assignment, contributors } } };
    }
    default:
      return assertNever(event, 'project assignment event');
  }
}

function decidePlace(command: PlaceProjectAssignments, state: ProjectAssignmentsState): ProjectAssignmentEvent[] {
  const { data } = command;
  const v = new Violations();
  const max = PROJECT_ASSIGNMENT_LIMITS;
  v.identifier('planId', data?.planId, max.id);
  v.identifier('buildId', data?.buildId, max.id);
  v.integer('buildVersion', data?.buildVersion, { min: 1 });
  const buildName = v.text('buildName', data?.buildName, { required: true, max: max.name });
  if (data?.projectId !== null) v.identifier('projectId', data?.projectId, max.id);
  const eventDate = data?.eventDate === null ? null : v.date('eventDate', data?.eventDate);
  const lines = Array.isArray(data?.assignments) ? data.assignments : [];
  if (!Array.isArray(data?.assignments)) v.add('assignments', 'must be a list');
  if (lines.length > max.assignments) v.add('assignments', `must have at most ${max.assignments} entries`);
  const seen = new Set<string>();
  lines.forEach((a, i) => {
    const id = v.identifier(`assignments[${i}].assignmentId`, a?.assignmentId, max.id);
    if (seen.has(id)) v.add(`assignments[${i}].assignmentId`, 'is a duplicate');
    seen.add(id);
    v.identifier(`assignments[${i}].sceneId`, a?.sceneId, max.id);
    v.text(`assignments[${i}].sceneName`, a?.sceneName, { required: true, max: max.name });
    v.identifier(`assignments[${i}].operatorTypeId`, a?.operatorTypeId, max.id);
    v.text(`assignments[${i}].operatorTypeName`, a?.operatorTypeName, { required: true, max: max.name });
    v.integer(`assignments[${i}].quantity`, a?.quantity, { min: 1, max: max.quantity });
  });
  v.throwIfAny();
  if (state.status === 'placed' && state.buildId !== data.buildId) throw DomainError.invalid({ field: 'planId', description: `belongs to build ${state.buildId}` });
  const placed = state.status === 'placed' ? state.assignments : {};
  const fresh = lines.filter((a) => !placed[a.assignmentId]);
  // Idempotent per (build, version, assignment id): a redelivered booking, or a later version that
  // adds nothing and keeps the day, name and project, changes nothing. An older version arriving
  // after a newer one adds its unknown lines but never takes back the newer one's facts.
  if (state.status === 'placed') {
    const older = data.buildVersion < state.buildVersion;
    const sameFacts = state.eventDate === eventDate && state.buildName === buildName && state.projectId === data.projectId;
    if (fresh.length === 0 && (older || sameFacts)) return [];
    if (older) return placedEvents(command, { buildName: state.buildName, projectId: state.projectId, eventDate: state.eventDate, buildVersion: state.buildVersion }, fresh, data.buildVersion);
  }
  return placedEvents(command, { buildName, projectId: data.projectId, eventDate, buildVersion: data.buildVersion }, fresh, data.buildVersion);
}

/** ProjectAssignmentsPlaced with the plan's facts and the fresh lines (brought by `linesVersion`), in chunks. */
function placedEvents(
  command: PlaceProjectAssignments,
  facts: { readonly buildName: string; readonly projectId: string | null; readonly eventDate: string | null; readonly buildVersion: number },
  fresh: PlaceProjectAssignments['data']['assignments'],
  linesVersion: number,
): ProjectAssignmentEvent[] {
  const { data, metadata } = command;
  const placedLines = fresh.map((a) => ({
    assignmentId: a.assignmentId,
    sceneId: a.sceneId,
    sceneName: a.sceneName.trim(),
    operatorTypeId: a.operatorTypeId,
    operatorTypeName: a.operatorTypeName.trim(),
    quantity: a.quantity,
    hours: a.hours,
    buildVersion: linesVersion,
  }));
  // In chunks, so that a build with every line at its longest stays under the event size bound.
  const chunks = Array.from({ length: Math.max(1, Math.ceil(placedLines.length / PLACE_CHUNK)) }, (_, i) => placedLines.slice(i * PLACE_CHUNK, (i + 1) * PLACE_CHUNK));
  return chunks.map((assignments) => ({
    type: 'ProjectAssignmentsPlaced' as const,
    data: {
      tenantId: metadata.tenantId,
      planId: data.planId,
      buildId: data.buildId,
      buildVersion: facts.buildVersion,
      buildName: facts.buildName,
      projectId: facts.projectId,
      eventDate: facts.eventDate,
      assignments,
      placedAt: toInstantString(metadata.now),
    },
  }));
}

function decideAssign(command: AssignProjectContributor, state: ProjectAssignmentsState): ProjectAssignmentEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const planId = v.identifier('planId', data?.planId, PROJECT_ASSIGNMENT_LIMITS.id);
  const assignmentId = v.identifier('assignmentId', data?.assignmentId, PROJECT_ASSIGNMENT_LIMITS.id);
  const contributorId = v.identifier('contributorId', data?.contributorId, PROJECT_ASSIGNMENT_LIMITS.id);
  v.identifier('calendarEntryId', data?.calendarEntryId, PROJECT_ASSIGNMENT_LIMITS.id);
  v.throwIfAny();
  const assignment = state.status === 'placed' ? state.assignments[assignmentId] : undefined;
  if (state.status !== 'placed' || !assignment) throw DomainError.notFound('project assignment', assignmentId);
  if (data.calendarEntryId !== projectAssignmentEntryId(planId, assignmentId, contributorId)) {
    throw DomainError.invalid({ field: 'calendarEntryId', description: 'must be projectAssignmentEntryId(plan, assignment, contributor)' });
  }
  if (state.eventDate === null) throw DomainError.precondition(`build ${state.buildId} has no event date yet: nothing to book`, { buildId: state.buildId });
  if (assignment.contributors.some((c) => c.contributorId === contributorId)) {
    throw DomainError.precondition(`contributor ${contributorId} already holds a place on assignment ${assignmentId}`, { assignmentId, contributorId });
  }
  if (openPlaces(assignment) === 0) throw DomainError.precondition(`assignment ${assignmentId} has all its ${assignment.quantity} places taken`, { assignmentId });
  return [
    {
      type: 'ProjectContributorAssigned',
      data: {
        tenantId: metadata.tenantId,
        planId: state.planId,
        buildId: state.buildId,
        assignmentId,
        contributorId,
        calendarEntryId: data.calendarEntryId,
        assignedBy: metadata.actorId,
        assignedAt: toInstantString(metadata.now),
      },
    },
  ];
}

/**
 * A build's project assignments (scheduling's side of a booking): its coverage lines placed when
 * BuildBooked arrives, unassigned until a manager assigns contributors, each place booked on the
 * contributor's calendar in the same append (the commands run both streams atomically).
 */
export const projectAssignmentsDecider = defineDecider<ProjectAssignmentsState, ProjectAssignmentCommand, ProjectAssignmentEvent>({
  aggregate: 'project assignments',
  schemaVersions: { ProjectAssignmentsPlaced: 1, ProjectContributorAssigned: 1 },
  initialState: initialProjectAssignmentsState,
  evolve: evolveProjectAssignments,
  decide(command, state) {
    switch (command.type) {
      case 'PlaceProjectAssignments':
        return decidePlace(command, state);
      case 'AssignProjectContributor':
        return decideAssign(command, state);
      default:
        return assertNever(command, 'project assignment command');
    }
  },
});
