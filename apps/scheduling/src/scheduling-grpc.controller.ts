import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { schedulingV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import { idRequestSchema, queryContext, validate } from '@projectflo/platform/grpc';

/**
 * The gRPC edge of scheduling: one method per RPC of SchedulingService, each its decorators plus one call.
 * RPCs whose handlers are not wired yet answer UNIMPLEMENTED; wiring one means replacing its stub
 * with a call into the application layer (see libs/platform/grpc/README.md).
 */
@Controller()
@schedulingV1.SchedulingServiceControllerMethods()
export class SchedulingGrpcController implements schedulingV1.SchedulingServiceController {
  /** No timers are held yet, so there are no reminders. */
  listReminders(_request: schedulingV1.ListRemindersRequest, metadata?: Metadata): schedulingV1.ListRemindersResponse {
    queryContext(metadata);
    return { reminders: [], page: { nextPageToken: '' } };
  }

  getTaskSchedule(request: schedulingV1.GetTaskScheduleRequest, metadata?: Metadata): never {
    queryContext(metadata);
    throw DomainError.notFound('task schedule', validate(idRequestSchema('taskId'), request).taskId);
  }
}
