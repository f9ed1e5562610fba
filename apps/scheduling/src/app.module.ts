import { Module } from '@nestjs/common';
import { crmOrganizationEventsV1 } from '@projectflo/contracts';
import { EventSourcedServiceModule, tenantDirectoryProviders } from '@projectflo/platform/service';
import { CalendarsGrpcController } from './calendars/calendars-grpc.controller';
import { CalendarCommands } from './calendars/calendars.commands';
import { CalendarQueries } from './calendars/calendars.queries';
import { ProjectAssignmentsConsumer } from './project-assignments/build-booked.consumer';
import { ProjectAssignmentsGrpcController } from './project-assignments/project-assignments-grpc.controller';
import { ProjectAssignmentCommands } from './project-assignments/project-assignments.commands';
import { ProjectAssignmentQueries } from './project-assignments/project-assignments.queries';
import { ReadModelConsumer } from './read-model/read-model.consumer';
import { ReminderPolicyCommands } from './reminders/reminder-policy.commands';
import { ReplanConsumer } from './reminders/replan.consumer';
import { SchedulingGrpcController } from './scheduling-grpc.controller';
import { SCHEDULING_SERVICE_OPTIONS } from './scheduling.service-options';
import { TaskScheduleQueries } from './task-schedules/task-schedule.queries';
import { TaskSchedulesConsumer } from './task-schedules/task-schedules.consumer';
import { TaskTimerActivitiesRegistration } from './task-schedules/task-timers.registration';
import { TaskTimersStarter } from './task-schedules/task-timers.starter';
import { TimerDispatcher } from './task-schedules/timer.dispatcher';
import { TimerRequestsRepository } from './task-schedules/timer-requests.repository';

/**
 * Everything the scheduling service registers, in one place. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) is provided globally by
 * bootstrapGrpcService; EventSourcedServiceModule adds the event store (schema scheduling), the
 * relay to its topics, the migrations and the worker on task queue scheduling.
 *
 * Consumer groups (`<schema>.<purpose>`): user-directory (crm.organization.v1 → tenant_members),
 * task-schedules (tasks.task.v1 → task schedules + timer requests), business-calendar
 * (tasks.business-calendar.v1 → business_calendars, replans), policy-replan
 * (scheduling.reminder-policy.v1 → replans), read-model (own topics → task_schedules, contributor
 * calendars' entries and conflicts, project assignment plans), project-assignments (ledger.build.v1
 * BuildBooked → PlaceProjectAssignments).
 */
@Module({
  imports: [EventSourcedServiceModule.forRoot(SCHEDULING_SERVICE_OPTIONS)],
  controllers: [SchedulingGrpcController, CalendarsGrpcController, ProjectAssignmentsGrpcController],
  providers: [
    // Commands and queries behind the gRPC controller.
    ReminderPolicyCommands,
    TaskScheduleQueries,
    CalendarCommands,
    CalendarQueries,
    ProjectAssignmentCommands,
    ProjectAssignmentQueries,
    // Who may call: crm's users as its organization events tell them.
    ...tenantDirectoryProviders(crmOrganizationEventsV1.CRM_MEMBERSHIP_SOURCE_V1),
    // Durable task timers: requests recorded by the consumers, signalled after commit; the workflow's activities.
    TimerRequestsRepository,
    TaskTimersStarter,
    TimerDispatcher,
    TaskTimerActivitiesRegistration,
    // Consumers.
    TaskSchedulesConsumer,
    ReplanConsumer,
    ReadModelConsumer,
    ProjectAssignmentsConsumer,
  ],
})
export class SchedulingAppModule {}
