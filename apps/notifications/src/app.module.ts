import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { EventSourcedServiceModule } from '@projectflo/platform/service';
import { NotificationCommands } from './in-app/notification.commands';
import { NOTIFICATIONS_ENTITIES } from './in-app/notification.entities';
import { NotificationQueries } from './in-app/notification.queries';
import { NotificationsGrpcController } from './notifications-grpc.controller';

/**
 * Everything the notifications service registers, in one place. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) is provided globally by
 * bootstrapGrpcService; EventSourcedServiceModule adds the event store (schema notifications),
 * the relay to its topics, the migrated read model and the worker on task queue notifications.
 */
@Module({
  imports: [
    EventSourcedServiceModule.forRoot({
      service: 'notifications',
      schema: 'notifications',
      topics: { notification: 'notifications.notification.v1' },
      entities: NOTIFICATIONS_ENTITIES,
      migrationsPath: join(__dirname, 'migrations'),
      worker: { taskQueue: 'notifications' },
    }),
  ],
  controllers: [NotificationsGrpcController],
  providers: [NotificationQueries, NotificationCommands],
})
export class NotificationsAppModule {}
