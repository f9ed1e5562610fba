import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { EventSourcedServiceModule } from '@projectflo/platform/service';
import { SchedulingGrpcController } from './scheduling-grpc.controller';
import { SCHEDULING_ENTITIES } from './task-schedules/task-schedule.entities';
import { TaskScheduleQueries } from './task-schedules/task-schedule.queries';

/**
 * Everything the scheduling service registers, in one place. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) is provided globally by
 * bootstrapGrpcService; EventSourcedServiceModule adds the event store (schema scheduling), the
 * relay to its topics, the migrated read model and the worker on task queue scheduling.
 */
@Module({
  imports: [
    EventSourcedServiceModule.forRoot({
      service: 'scheduling',
      schema: 'scheduling',
      topics: { reminder: 'scheduling.reminder.v1' },
      entities: SCHEDULING_ENTITIES,
      migrationsPath: join(__dirname, 'migrations'),
      worker: { taskQueue: 'scheduling' },
    }),
  ],
  controllers: [SchedulingGrpcController],
  providers: [TaskScheduleQueries],
})
export class SchedulingAppModule {}
