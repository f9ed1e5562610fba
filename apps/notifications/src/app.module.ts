import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { EventSourcedServiceModule } from '@projectflo/platform/service';

/**
 * Everything the notifications service registers, in one place. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) is provided globally by
 * bootstrapGrpcService; EventSourcedServiceModule adds the event store (schema notifications),
 * the relay to its topics, the migrations and the worker on task queue notifications. No
 * commands, queries or read model yet: notifications' own issue adds them.
 */
@Module({
  imports: [
    EventSourcedServiceModule.forRoot({
      service: 'notifications',
      schema: 'notifications',
      topics: { notification: 'notifications.notification.v1' },
      entities: [],
      migrationsPath: join(__dirname, 'migrations'),
      worker: { taskQueue: 'notifications' },
    }),
  ],
})
export class NotificationsAppModule {}
