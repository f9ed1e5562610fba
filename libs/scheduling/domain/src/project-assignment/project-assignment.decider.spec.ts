import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { ACTOR, meta, TENANT } from '../shared/command-metadata.fixtures';
import type { AssignProjectContributor, PlaceProjectAssignments } from './project-assignment.commands';
import { evolveProjectAssignments, initialProjectAssignmentsState, projectAssignmentEntryId, projectAssignmentPlanId, projectAssignmentsDecider } from './project-assignment.decider';
import type { PlacedAssignment, ProjectAssignmentEvent, ProjectAssignmentsPlaced, ProjectContributorAssigned } from './project-assignment.events';

const spec = deciderSpecification(projectAssignmentsDecider);
const PLAN = projectAssignmentPlanId(TENANT, 'build-1');
const AT = '2025-06-14T10:00:00.000Z';

const line = (assignmentId: string, quantity = 1): Omit<PlacedAssignment, 'buildVersion'> => ({
  assignmentId,
  sceneId: 'ceremony',
  sceneName: 'Ceremony',
  operatorTypeId: 'second-shooter',
  operatorTypeName: 'Second shooter',
  quantity,
  hours: '8.00',
});
const place = (lines = [line('a-1', 2)], buildVersion = 1, eventDate: string | null = '2027-06-12'): PlaceProjectAssignments => ({
  type: 'PlaceProjectAssignments',
  data: { planId: PLAN, buildId: 'build-1', buildVersion, buildName: 'Smith wedding', projectId: null, eventDate, assignments: lines },
  metadata: meta(),
});
const placed = (lines = [line('a-1', 2)], buildVersion = 1, eventDate: string | null = '2027-06-12'): ProjectAssignmentsPlaced => ({
  type: 'ProjectAssignmentsPlaced',
  data: {
    tenantId: TENANT,
    planId: PLAN,
    buildId: 'build-1',
    buildVersion,
    buildName: 'Smith wedding',
    projectId: null,
    eventDate,
    assignments: lines.map((l) => ({ ...l, buildVersion })),
    placedAt: AT,
  },
});
const assign = (contributorId: string, assignmentId = 'a-1'): AssignProjectContributor => ({
  type: 'AssignProjectContributor',
  data: { planId: PLAN, assignmentId, contributorId, calendarEntryId: projectAssignmentEntryId(PLAN, assignmentId, contributorId) },
  metadata: meta(),
});
const assigned = (contributorId: string, assignmentId = 'a-1'): ProjectContributorAssigned => ({
  type: 'ProjectContributorAssigned',
  data: {
    tenantId: TENANT,
    planId: PLAN,
    buildId: 'build-1',
    assignmentId,
    contributorId,
    calendarEntryId: projectAssignmentEntryId(PLAN, assignmentId, contributorId),
    assignedBy: ACTOR,
    assignedAt: AT,
  },
});

describe('project assignments', () => {
  describe('when the build was never booked', () => {
    it('places its coverage lines, unassigned', () => {
      spec.given([]).when(place()).then([placed()]);
    });

    it('names every invalid field', () => {
      spec
        .given([])
        .when({ ...place([{ ...line('a 1'), quantity: 0, sceneName: '' }, line('a-2'), line('a-2')]), data: { ...place().data, eventDate: '2027-02-30', buildVersion: 0 } } as PlaceProjectAssignments)
        .thenThrows(DomainErrorCode.InvalidArgument, ['buildVersion', 'eventDate']);
      spec
        .given([])
        .when(place([{ ...line('a 1'), quantity: 0, sceneName: '' }, line('a-2'), line('a-2')]))
        .thenThrows(DomainErrorCode.InvalidArgument, ['assignments[0].assignmentId', 'assignments[0].sceneName', 'assignments[0].quantity', 'assignments[2].assignmentId']);
    });

    it('has nothing to assign', () => {
      spec.given([]).when(assign('user-1')).thenThrows(DomainErrorCode.NotFound);
    });

    it('places a build of 200 lines in chunks of 100', () => {
      const lines = Array.from({ length: 200 }, (_, i) => line(`a-${i}`));
      const events = projectAssignmentsDecider.decide(place(lines), initialProjectAssignmentsState());
      expect(events.map((e) => (e.type === 'ProjectAssignmentsPlaced' ? e.data.assignments.length : 0))).toEqual([100, 100]);
    });
  });

  describe('when placed', () => {
    it('changes nothing for the same booking again (a redelivery)', () => {
      spec.given([placed()]).when(place()).then([]);
    });

    it('places only the lines a later version adds, keeping the rest and their contributors', () => {
      spec.given([placed(), assigned('user-1')]).when(place([line('a-1', 2), line('a-2')], 2)).then([placed([line('a-2')], 2)]);
      const state = [placed(), assigned('user-1'), placed([line('a-2')], 2)].reduce(evolveProjectAssignments, initialProjectAssignmentsState());
      expect(state.status === 'placed' && Object.values(state.assignments).map((a) => [a.assignmentId, a.buildVersion, a.contributors.map((c) => c.contributorId)])).toEqual([
        ['a-1', 1, ['user-1']],
        ['a-2', 2, []],
      ]);
    });

    it('takes a later version’s new event date with no new lines; an older version never takes it back', () => {
      spec.given([placed()]).when(place([line('a-1', 2)], 2, '2027-07-03')).then([placed([], 2, '2027-07-03')]);
      spec.given([placed(), placed([], 2, '2027-07-03')]).when(place([line('a-1', 2)], 1)).then([]);
      const late = place([line('a-1', 2), line('a-5')], 1);
      const [event] = projectAssignmentsDecider.decide(late, [placed(), placed([], 2, '2027-07-03')].reduce(evolveProjectAssignments, initialProjectAssignmentsState()));
      expect(event?.type === 'ProjectAssignmentsPlaced' && [event.data.buildVersion, event.data.eventDate, event.data.assignments.map((a) => [a.assignmentId, a.buildVersion])]).toEqual([
        2,
        '2027-07-03',
        [['a-5', 1]],
      ]);
    });

    it('assigns contributors up to the line’s quantity, each once', () => {
      spec.given([placed()]).when(assign('user-1')).then([assigned('user-1')]);
      spec.given([placed(), assigned('user-1')]).when(assign('user-1')).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given([placed(), assigned('user-1')]).when(assign('user-2')).then([assigned('user-2')]);
      spec.given([placed(), assigned('user-1'), assigned('user-2')]).when(assign('user-3')).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('refuses an unknown line, a calendar entry id not derived from the place, and a build without an event date', () => {
      spec.given([placed()]).when(assign('user-1', 'a-9')).thenThrows(DomainErrorCode.NotFound);
      spec
        .given([placed()])
        .when({ ...assign('user-1'), data: { ...assign('user-1').data, calendarEntryId: '0b6f9c1e-7d8a-4f3b-9e2c-4a1d6b8c0e3f' } })
        .thenThrows(DomainErrorCode.InvalidArgument, ['calendarEntryId']);
      const undated: ProjectAssignmentEvent = placed([line('a-1', 2)], 1, null);
      spec.given([undated]).when(assign('user-1')).thenThrows(DomainErrorCode.FailedPrecondition);
    });
  });
});
