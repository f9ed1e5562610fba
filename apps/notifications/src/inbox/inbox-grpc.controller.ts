import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { notificationInboxV1, notificationsV1 } from '@projectflo/contracts';
import { commandContext, queryContext } from '@projectflo/platform/grpc';
import { InboxCommands } from './inbox.commands';
import { InboxQueries } from './inbox.queries';

const SERVICE = 'NotificationsService';

/** The in-app inbox RPCs of NotificationsService, each its context plus one call (the caller's own inbox). */
@Controller()
export class InboxGrpcController
  implements
    Pick<
      notificationsV1.NotificationsServiceController,
      'listNotifications' | 'getUnreadCount' | 'markNotificationRead' | 'markAllNotificationsRead' | 'archiveNotification' | 'snoozeNotification'
    >
{
  constructor(
    private readonly commands: InboxCommands,
    private readonly queries: InboxQueries,
  ) {}

  @GrpcMethod(SERVICE, 'listNotifications')
  listNotifications(request: notificationInboxV1.ListNotificationsRequest, metadata?: Metadata) {
    return this.queries.list(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'getUnreadCount')
  getUnreadCount(_request: notificationInboxV1.GetUnreadCountRequest, metadata?: Metadata) {
    return this.queries.unreadCount(queryContext(metadata));
  }

  @GrpcMethod(SERVICE, 'markNotificationRead')
  markNotificationRead(request: notificationInboxV1.MarkNotificationReadRequest, metadata?: Metadata) {
    return this.commands.markRead(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'markAllNotificationsRead')
  markAllNotificationsRead(request: notificationInboxV1.MarkAllNotificationsReadRequest, metadata?: Metadata) {
    return this.commands.markAllRead(commandContext(metadata, request));
  }

  @GrpcMethod(SERVICE, 'archiveNotification')
  archiveNotification(request: notificationInboxV1.ArchiveNotificationRequest, metadata?: Metadata) {
    return this.commands.archive(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'snoozeNotification')
  snoozeNotification(request: notificationInboxV1.SnoozeNotificationRequest, metadata?: Metadata) {
    return this.commands.snooze(commandContext(metadata, request), request);
  }
}
