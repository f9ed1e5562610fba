import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { schedulingV1 } from '@projectflo/contracts';
import { queryContext } from '@projectflo/platform/grpc';
import { TaskScheduleQueries } from './task-schedules/task-schedule.queries';

/** The gRPC edge of scheduling: one method per RPC of SchedulingService, each its decorators plus one call. */
@Controller()
@schedulingV1.SchedulingServiceControllerMethods()
export class SchedulingGrpcController implements schedulingV1.SchedulingServiceController {
  constructor(private readonly schedules: TaskScheduleQueries) {}

  listReminders(request: schedulingV1.ListRemindersRequest, metadata?: Metadata): Promise<schedulingV1.ListRemindersResponse> {
    return this.schedules.listReminders(queryContext(metadata), request);
  }

  getTaskSchedule(request: schedulingV1.GetTaskScheduleRequest, metadata?: Metadata): Promise<schedulingV1.GetTaskScheduleResponse> {
    return this.schedules.getTaskSchedule(queryContext(metadata), request);
  }
}
