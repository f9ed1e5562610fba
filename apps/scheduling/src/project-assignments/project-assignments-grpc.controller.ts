import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { type schedulingAssignmentsV1, schedulingV1 } from '@projectflo/contracts';
import { commandContext, queryContext } from '@projectflo/platform/grpc';
import { ProjectAssignmentCommands } from './project-assignments.commands';
import { ProjectAssignmentQueries } from './project-assignments.queries';

const SERVICE = schedulingV1.SCHEDULING_SERVICE_NAME;

/** The project assignment RPCs of SchedulingService: each its context plus one call. */
@Controller()
export class ProjectAssignmentsGrpcController {
  constructor(
    private readonly commands: ProjectAssignmentCommands,
    private readonly queries: ProjectAssignmentQueries,
  ) {}

  @GrpcMethod(SERVICE, 'ListProjectAssignments')
  listProjectAssignments(request: schedulingAssignmentsV1.ListProjectAssignmentsRequest, metadata?: Metadata) {
    return this.queries.list(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'AssignContributor')
  assignContributor(request: schedulingAssignmentsV1.AssignContributorRequest, metadata?: Metadata) {
    return this.commands.assign(commandContext(metadata, request), request);
  }
}
