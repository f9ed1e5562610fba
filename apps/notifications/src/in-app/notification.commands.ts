import { Injectable } from '@nestjs/common';
import type { notificationsV1 } from '@projectflo/contracts';
import { type CommandContext, idRequestSchema, unimplemented, validate } from '@projectflo/platform/grpc';
import { NotificationQueries } from './notification.queries';

/** Commands on in-app notifications. */
@Injectable()
export class NotificationCommands {
  constructor(private readonly queries: NotificationQueries) {}

  /**
   * An unknown id (or another tenant's) is NOT_FOUND, which the read model answers truthfully.
   * Recording the read state is an event on the notification's stream, and notifications get
   * their streams with delivery (a later issue); until then an existing one cannot be marked, and
   * the RPC says UNIMPLEMENTED rather than pretending.
   */
  async markRead(context: CommandContext, request: notificationsV1.MarkNotificationReadRequest): Promise<never> {
    const { notificationId } = validate(idRequestSchema('notificationId'), request);
    await this.queries.getNotification(context, notificationId);
    return unimplemented('MarkNotificationRead');
  }
}
