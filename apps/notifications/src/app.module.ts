import { Module } from '@nestjs/common';
import { NotificationsGrpcController } from './notifications-grpc.controller';

/**
 * Everything the notifications service registers, in one place. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) is provided globally by
 * bootstrapGrpcService; this module adds the service's own parts.
 */
@Module({
  imports: [
    // Infrastructure modules go here (event store, messaging relay/consumers, persistence,
    // Temporal workers), then the notifications feature modules that provide the handlers and
    // projections the controller calls.
  ],
  controllers: [NotificationsGrpcController],
  providers: [],
})
export class NotificationsAppModule {}
