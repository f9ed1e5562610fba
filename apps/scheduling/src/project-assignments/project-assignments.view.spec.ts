import { foldView, type StreamEvent } from '@projectflo/platform/core';
import { projectAssignmentEntryId, projectAssignmentPlanId } from '@projectflo/scheduling/domain';
import { evolveProjectAssignmentPlanRow } from './project-assignments.view';

const TENANT = 'tenant-a';
const PLAN = projectAssignmentPlanId(TENANT, 'build-1');
let position = 0;
const event = (type: string, data: Record<string, unknown>): StreamEvent => ({
  eventId: `e-${++position}`,
  type,
  data: { tenantId: TENANT, planId: PLAN, buildId: 'build-1', ...data },
  metadata: { tenantId: TENANT, actorId: 'system:scheduling', actorKind: 'service', requestId: 'r', correlationId: 'r', causationId: 'r', occurredAt: `2026-12-0${position}T00:00:00.000Z` },
  streamPosition: position,
});
const line = (assignmentId: string, quantity: number, buildVersion = 1) => ({
  assignmentId,
  sceneId: 'ceremony',
  sceneName: 'Ceremony',
  operatorTypeId: 'second-shooter',
  operatorTypeName: 'Second shooter',
  quantity,
  hours: null,
  buildVersion,
});
const placed = (lines: ReturnType<typeof line>[], buildVersion = 1) =>
  event('ProjectAssignmentsPlaced', { buildVersion, buildName: 'Smith wedding', projectId: null, eventDate: '2027-06-12', assignments: lines, placedAt: '2026-12-01T00:00:00.000Z' });
const assigned = (assignmentId: string, contributorId: string) =>
  event('ProjectContributorAssigned', {
    assignmentId,
    contributorId,
    calendarEntryId: projectAssignmentEntryId(PLAN, assignmentId, contributorId),
    assignedBy: 'user-m',
    assignedAt: '2026-12-02T00:00:00.000Z',
  });

describe('project assignment plan row', () => {
  it('counts the open places over every line, as places are taken and lines added', () => {
    position = 0;
    const first = placed([line('a-1', 2), line('a-2', 1)]);
    expect(foldView(evolveProjectAssignmentPlanRow, [first])).toMatchObject({ planId: PLAN, tenantId: TENANT, buildId: 'build-1', eventDate: '2027-06-12', openPlaces: 3, version: 1 });
    const row = foldView(evolveProjectAssignmentPlanRow, [first, assigned('a-1', 'user-1'), assigned('a-2', 'user-2'), placed([line('a-3', 1, 2)], 2)]);
    expect(row).toMatchObject({ openPlaces: 2, version: 4 });
    expect(row?.state.status === 'placed' && Object.values(row.state.assignments).map((a) => [a.assignmentId, a.contributors.length])).toEqual([
      ['a-1', 1],
      ['a-2', 1],
      ['a-3', 0],
    ]);
  });

  it('has no row before the plan is placed', () => {
    position = 0;
    expect(foldView(evolveProjectAssignmentPlanRow, [assigned('a-1', 'user-1')])).toBeUndefined();
  });
});
