import { Module } from '@nestjs/common';
import { EventSourcedServiceModule } from '@projectflo/platform/service';
import { SCHEDULING_SERVICE_OPTIONS } from './scheduling.service-options';

/**
 * Everything the scheduling service registers, in one place. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) is provided globally by
 * bootstrapGrpcService; EventSourcedServiceModule adds the event store (schema scheduling), the
 * relay to its topics, the migrations and the worker on task queue scheduling. No commands,
 * queries or read model yet: scheduling's own issue adds them.
 */
@Module({
  imports: [
    EventSourcedServiceModule.forRoot(SCHEDULING_SERVICE_OPTIONS),
  ],
})
export class SchedulingAppModule {}
