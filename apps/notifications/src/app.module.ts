import { Module } from '@nestjs/common';
import { EventSourcedServiceModule } from '@projectflo/platform/service';
import { NOTIFICATIONS_SERVICE_OPTIONS } from './notifications.service-options';

/**
 * Everything the notifications service registers, in one place. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) is provided globally by
 * bootstrapGrpcService; EventSourcedServiceModule adds the event store (schema notifications),
 * the relay to its topics, the migrations and the worker on task queue notifications. No
 * commands, queries or read model yet: notifications' own issue adds them.
 */
@Module({
  imports: [
    EventSourcedServiceModule.forRoot(NOTIFICATIONS_SERVICE_OPTIONS),
  ],
})
export class NotificationsAppModule {}
