import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { contractChecks, ledgerBuildEventsV1 } from '@projectflo/contracts';
import { automationMetadata, type Clock, CLOCK, deriveId, isRejection } from '@projectflo/platform/core';
import { type EventEnvelope, PoisonMessageError } from '@projectflo/platform/messaging';
import { CommandExecutor, ConsumerFactory } from '@projectflo/platform/service';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import {
  contributorCalendarDecider,
  contributorCalendarId,
  projectAssignmentPlanId,
  projectAssignmentsDecider,
  type ProjectAssignmentsState,
  SchedulingStreams,
} from '@projectflo/scheduling/domain';
import type { z } from 'zod';
import { SCHEDULING_SERVICE } from '../scheduling.constants';

const { LEDGER_BUILD_TOPIC_V1, ledgerBuildEventContractsV1 } = ledgerBuildEventsV1;
type BuildBooked = { readonly type: 'BuildBooked'; readonly data: z.infer<typeof ledgerBuildEventsV1.BuildBookedV1> };

/** The request id of placing one booking: one per (tenant, build, version), so a redelivery is a no-op. */
/**
 * The request id of moving one booked place to the plan's day: one per (entry, day, the build version
 * that set the day), so a redelivery is a no-op and a day that comes back in a later version moves again.
 */
export function movePlaceRequestId(entryId: string, eventDate: string, buildVersion: number): string {
  return deriveId('move-project-place', entryId, eventDate, String(buildVersion));
}

export function placeAssignmentsRequestId(tenantId: string, buildId: string, version: number): string {
  return deriveId('place-project-assignments', tenantId, buildId, String(version));
}

/**
 * Group `project-assignments` on ledger.build.v1: a BuildBooked places the build's coverage lines on
 * its plan (PlaceProjectAssignments), unassigned: BuildBooked names operator types, not people, so
 * a manager assigns contributors (AssignContributor), which books their calendars. When a later
 * version moves the event day, each booked place's calendar entry moves with it (checked on every
 * delivery against the calendar itself, so a crash between the two steps heals on redelivery). Other
 * event types of the topic are not its business. A refused placement cannot heal by retrying:
 * dead-lettered; a refused move (the contributor cancelled the entry) is logged and left.
 */
@Injectable()
export class ProjectAssignmentsConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.consumers
      .events<BuildBooked>('project-assignments', [LEDGER_BUILD_TOPIC_V1])
      .on('BuildBooked', (event) => this.booked(event), contractChecks(ledgerBuildEventContractsV1, 'BuildBooked'));
  }

  private async booked(event: EventEnvelope<BuildBooked>): Promise<void> {
    const d = event.data;
    const tenantId = event.metadata.tenantId;
    if (d.tenantId !== tenantId) throw new PoisonMessageError('invalid-payload', `the payload names tenant ${d.tenantId}, the event ${tenantId}`);
    const planId = projectAssignmentPlanId(tenantId, d.buildId);
    let plan: ProjectAssignmentsState;
    try {
      ({ state: plan } = await this.executor.run(
        projectAssignmentsDecider,
        SchedulingStreams.projectAssignments(planId),
        {
          type: 'PlaceProjectAssignments',
          data: {
            planId,
            buildId: d.buildId,
            buildVersion: d.version,
            buildName: d.name,
            projectId: d.projectId,
            eventDate: d.eventDate,
            assignments: d.coverage.map((c) => ({
              assignmentId: c.assignmentId,
              sceneId: c.sceneId,
              sceneName: c.sceneName,
              operatorTypeId: c.operatorTypeId,
              operatorTypeName: c.operatorTypeName,
              quantity: c.quantity,
              hours: c.hours,
            })),
          },
        },
        {
          metadata: automationMetadata({
            service: SCHEDULING_SERVICE,
            tenantId,
            requestId: placeAssignmentsRequestId(tenantId, d.buildId, d.version),
            now: this.clock.now(),
            cause: { correlationId: event.metadata.correlationId, causationId: event.eventId, automationDepth: event.metadata.automationDepth ?? 0 },
          }),
        },
      ));
    } catch (error) {
      if (isRejection(error)) throw new PoisonMessageError('rejected-command', `PlaceProjectAssignments of build ${d.buildId} v${d.version} was rejected: ${error.message}`);
      throw error;
    }
    await this.keepPlacesOnTheDay(event, tenantId, plan);
  }

  /** Moves every booked place whose calendar entry is not on the plan's day (all day, in the entry's own zone) to it. */
  private async keepPlacesOnTheDay(cause: EventEnvelope, tenantId: string, plan: ProjectAssignmentsState): Promise<void> {
    if (plan.status !== 'placed' || plan.eventDate === null) return;
    const day = plan.eventDate;
    for (const assignment of Object.values(plan.assignments)) {
      for (const place of assignment.contributors) {
        const calendarId = contributorCalendarId(tenantId, place.contributorId);
        const stream = SchedulingStreams.contributorCalendar(calendarId);
        const entry = (await this.executor.load(contributorCalendarDecider, stream, tenantId)).state.entries[place.calendarEntryId];
        if (!entry || (entry.span.kind === 'all_day' && entry.span.startDate === day && entry.span.endDate === day)) continue;
        try {
          await this.executor.run(
            contributorCalendarDecider,
            stream,
            {
              type: 'MoveCalendarEntry',
              data: { calendarId, contributorId: place.contributorId, entryId: place.calendarEntryId, time: { kind: 'all_day', startDate: day, endDate: day }, timezone: null },
            },
            {
              metadata: automationMetadata({
                service: SCHEDULING_SERVICE,
                tenantId,
                requestId: movePlaceRequestId(place.calendarEntryId, day, plan.buildVersion),
                now: this.clock.now(),
                cause: { correlationId: cause.metadata.correlationId, causationId: cause.eventId, automationDepth: cause.metadata.automationDepth ?? 0 },
              }),
            },
          );
        } catch (error) {
          if (!isRejection(error)) throw error;
          this.logger.warn('a booked project place could not move to the new event day; left where it is', {
            tenantId,
            entryId: place.calendarEntryId,
            day,
            reason: error.message,
          });
        }
      }
    }
  }
}
