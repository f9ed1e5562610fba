import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { schedulingRemindersV1 } from '@projectflo/contracts';
import { commandContext, queryContext } from '@projectflo/platform/grpc';
import { ReminderPolicyCommands } from './reminders/reminder-policy.commands';
import { TaskScheduleQueries } from './task-schedules/task-schedule.queries';

const SERVICE = 'SchedulingService';

/**
 * The gRPC edge of scheduling: one method per RPC of SchedulingService, each its decorators plus
 * one call. Methods are declared one by one (GrpcMethod) rather than with the generated
 * SchedulingServiceControllerMethods(), which needs every RPC on one class at once: each feature
 * (reminders and schedules here, contributor calendars) lands its methods as it comes.
 */
@Controller()
export class SchedulingGrpcController {
  constructor(
    private readonly policies: ReminderPolicyCommands,
    private readonly schedules: TaskScheduleQueries,
  ) {}

  @GrpcMethod(SERVICE, 'SetReminderPolicy')
  setReminderPolicy(request: schedulingRemindersV1.SetReminderPolicyRequest, metadata?: Metadata) {
    return this.policies.set(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'GetReminderPolicy')
  getReminderPolicy(_request: schedulingRemindersV1.GetReminderPolicyRequest, metadata?: Metadata) {
    return this.policies.get(queryContext(metadata));
  }

  @GrpcMethod(SERVICE, 'GetTaskSchedule')
  getTaskSchedule(request: schedulingRemindersV1.GetTaskScheduleRequest, metadata?: Metadata) {
    return this.schedules.getTaskSchedule(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'ListTaskSchedules')
  listTaskSchedules(request: schedulingRemindersV1.ListTaskSchedulesRequest, metadata?: Metadata) {
    return this.schedules.listTaskSchedules(queryContext(metadata), request);
  }
}
