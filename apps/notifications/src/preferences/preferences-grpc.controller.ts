import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { notificationPreferencesV1, notificationsV1 } from '@projectflo/contracts';
import { commandContext, queryContext } from '@projectflo/platform/grpc';
import { PreferencesCommands } from './preferences.commands';

const SERVICE = 'NotificationsService';

/** The preference RPCs of NotificationsService: the caller's own preferences. */
@Controller()
export class PreferencesGrpcController implements Pick<notificationsV1.NotificationsServiceController, 'setNotificationPreferences' | 'getNotificationPreferences'> {
  constructor(private readonly preferences: PreferencesCommands) {}

  @GrpcMethod(SERVICE, 'setNotificationPreferences')
  setNotificationPreferences(request: notificationPreferencesV1.SetNotificationPreferencesRequest, metadata?: Metadata) {
    return this.preferences.set(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'getNotificationPreferences')
  getNotificationPreferences(_request: notificationPreferencesV1.GetNotificationPreferencesRequest, metadata?: Metadata) {
    return this.preferences.get(queryContext(metadata));
  }
}
