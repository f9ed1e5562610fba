import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { schedulingAssignmentsV1 } from '@projectflo/contracts';
import { type UserDirectory, USER_DIRECTORY } from '@projectflo/platform/auth';
import { DomainError } from '@projectflo/platform/core';
import { type CommandContext, expectedVersion, text, validate } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { CommandExecutor, commandOn, MIKRO_ORM } from '@projectflo/platform/service';
import {
  CALENDAR_LIMITS,
  contributorCalendarDecider,
  contributorCalendarId,
  PROJECT_ASSIGNMENT_LIMITS,
  projectAssignmentEntryId,
  projectAssignmentPlanId,
  projectAssignmentsDecider,
  SchedulingStreams,
} from '@projectflo/scheduling/domain';
import { z } from 'zod';
import { businessCalendarOf } from '../reminders/business-calendars.repository';
import { assignmentToProto } from './project-assignments.mapping';

const id = text(PROJECT_ASSIGNMENT_LIMITS.id, { required: true });
const assignRequest = z.object({ buildId: id, assignmentId: id, contributorId: id, expectedVersion });

/** `operator type · scene · build`, cut to a calendar entry title's bound (code points). */
function entryTitle(operatorTypeName: string, sceneName: string, buildName: string): string {
  const points = Array.from(`${operatorTypeName} · ${sceneName} · ${buildName}`);
  return points.slice(0, CALENDAR_LIMITS.title).join('');
}

/**
 * AssignContributor: a contributor takes one open place of a build's coverage line, and the place
 * is booked on their calendar (a PROJECT_ASSIGNMENT all-day entry on the event date, in the
 * tenant's business calendar zone) — both streams appended together or neither. A conflict with
 * the contributor's other entries is kept and flagged, as for any booking.
 */
@Injectable()
export class ProjectAssignmentCommands {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
  ) {}

  async assign(ctx: CommandContext, request: schedulingAssignmentsV1.AssignContributorRequest): Promise<schedulingAssignmentsV1.AssignContributorResponse> {
    const { buildId, assignmentId, contributorId, expectedVersion: version } = validate(assignRequest, request);
    const planId = projectAssignmentPlanId(ctx.tenantId, buildId);
    const planStream = SchedulingStreams.projectAssignments(planId);
    const { state } = await this.executor.load(projectAssignmentsDecider, planStream, ctx.tenantId);
    const line = state.status === 'placed' ? state.assignments[assignmentId] : undefined;
    if (state.status !== 'placed' || !line) throw DomainError.notFound('project assignment', assignmentId);
    const member = await this.directory.member(ctx.tenantId, contributorId);
    if (!member?.active) throw DomainError.notFound('contributor', contributorId);
    const { timezone } = await withTenantScope(this.orm, ctx.tenantId, (tx) => businessCalendarOf(tx, ctx.tenantId));
    const calendarEntryId = projectAssignmentEntryId(planId, assignmentId, contributorId);
    const calendarId = contributorCalendarId(ctx.tenantId, contributorId);
    const day = state.eventDate ?? '';
    const [plan, calendar] = await this.executor.runAtomically(
      [
        commandOn(
          projectAssignmentsDecider,
          planStream,
          { type: 'AssignProjectContributor', data: { planId, assignmentId, contributorId, calendarEntryId } },
          { expectedVersion: version },
        ),
        commandOn(contributorCalendarDecider, SchedulingStreams.contributorCalendar(calendarId), {
          type: 'BookCalendarEntry',
          data: {
            calendarId,
            contributorId,
            entryId: calendarEntryId,
            entryType: 'project_assignment',
            title: entryTitle(line.operatorTypeName, line.sceneName, state.buildName),
            time: { kind: 'all_day', startDate: day, endDate: day },
            timezone,
            projectId: state.projectId,
            buildId,
          },
        }),
      ],
      { context: ctx },
    );
    const after = plan.state;
    if (after.status !== 'placed') throw new Error('the plan is empty after an assignment');
    return { assignment: assignmentToProto(after, after.assignments[assignmentId]!, plan.version), calendarVersion: String(calendar.version) };
  }
}
