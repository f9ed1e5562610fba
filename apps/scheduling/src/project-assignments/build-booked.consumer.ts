import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { contractChecks, ledgerBuildEventsV1 } from '@projectflo/contracts';
import { automationMetadata, type Clock, CLOCK, deriveId, isRejection } from '@projectflo/platform/core';
import { type EventEnvelope, PoisonMessageError } from '@projectflo/platform/messaging';
import { CommandExecutor, ConsumerFactory } from '@projectflo/platform/service';
import { projectAssignmentPlanId, projectAssignmentsDecider, SchedulingStreams } from '@projectflo/scheduling/domain';
import type { z } from 'zod';
import { SCHEDULING_SERVICE } from '../scheduling.constants';

const { LEDGER_BUILD_TOPIC_V1, ledgerBuildEventContractsV1 } = ledgerBuildEventsV1;
type BuildBooked = { readonly type: 'BuildBooked'; readonly data: z.infer<typeof ledgerBuildEventsV1.BuildBookedV1> };

/** The request id of placing one booking: one per (tenant, build, version), so a redelivery is a no-op. */
export function placeAssignmentsRequestId(tenantId: string, buildId: string, version: number): string {
  return deriveId('place-project-assignments', tenantId, buildId, String(version));
}

/**
 * Group `project-assignments` on ledger.build.v1: a BuildBooked places the build's coverage lines on
 * its plan (PlaceProjectAssignments), unassigned: BuildBooked names operator types, not people, so
 * a manager assigns contributors (AssignContributor), which books their calendars. Other event types
 * of the topic are not its business. A refusal cannot heal by retrying: dead-lettered.
 */
@Injectable()
export class ProjectAssignmentsConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
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
    try {
      await this.executor.run(
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
      );
    } catch (error) {
      if (isRejection(error)) throw new PoisonMessageError('rejected-command', `PlaceProjectAssignments of build ${d.buildId} v${d.version} was rejected: ${error.message}`);
      throw error;
    }
  }
}
