import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { notificationsV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import { commandContext, idRequestSchema, queryContext, validate } from '@projectflo/platform/grpc';

/**
 * The gRPC edge of notifications: one method per RPC of NotificationsService, each its decorators plus one call.
 * RPCs whose handlers are not wired yet answer UNIMPLEMENTED; wiring one means replacing its stub
 * with a call into the application layer (see libs/platform/grpc/README.md).
 */
@Controller()
@notificationsV1.NotificationsServiceControllerMethods()
export class NotificationsGrpcController implements notificationsV1.NotificationsServiceController {
  /** No deliveries are recorded yet, so the inbox is empty. */
  listNotifications(_request: notificationsV1.ListNotificationsRequest, metadata?: Metadata): notificationsV1.ListNotificationsResponse {
    queryContext(metadata);
    return { notifications: [], page: { nextPageToken: '' } };
  }

  markNotificationRead(request: notificationsV1.MarkNotificationReadRequest, metadata?: Metadata): never {
    commandContext(metadata);
    throw DomainError.notFound('notification', validate(idRequestSchema('notificationId'), request).notificationId);
  }
}
