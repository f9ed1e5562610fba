import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { notificationsV1 } from '@projectflo/contracts';
import { commandContext, queryContext } from '@projectflo/platform/grpc';
import { NotificationCommands } from './in-app/notification.commands';
import { NotificationQueries } from './in-app/notification.queries';

/** The gRPC edge of notifications: one method per RPC of NotificationsService, each its decorators plus one call. */
@Controller()
@notificationsV1.NotificationsServiceControllerMethods()
export class NotificationsGrpcController implements notificationsV1.NotificationsServiceController {
  constructor(
    private readonly queries: NotificationQueries,
    private readonly commands: NotificationCommands,
  ) {}

  listNotifications(request: notificationsV1.ListNotificationsRequest, metadata?: Metadata): Promise<notificationsV1.ListNotificationsResponse> {
    return this.queries.listNotifications(queryContext(metadata), request);
  }

  markNotificationRead(request: notificationsV1.MarkNotificationReadRequest, metadata?: Metadata): Promise<notificationsV1.MarkNotificationReadResponse> {
    return this.commands.markRead(commandContext(metadata, request), request);
  }
}
