import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { notificationChannelsV1, notificationsV1 } from '@projectflo/contracts';
import { commandContext, queryContext } from '@projectflo/platform/grpc';
import { ChannelSettingsCommands } from './channel-settings.commands';

const SERVICE = 'NotificationsService';

/** The channel settings RPCs of NotificationsService (admins and up): secrets are write-only. */
@Controller()
export class ChannelSettingsGrpcController implements Pick<notificationsV1.NotificationsServiceController, 'setChannelSettings' | 'getChannelSettings'> {
  constructor(private readonly settings: ChannelSettingsCommands) {}

  @GrpcMethod(SERVICE, 'setChannelSettings')
  setChannelSettings(request: notificationChannelsV1.SetChannelSettingsRequest, metadata?: Metadata) {
    return this.settings.set(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'getChannelSettings')
  getChannelSettings(_request: notificationChannelsV1.GetChannelSettingsRequest, metadata?: Metadata) {
    return this.settings.get(queryContext(metadata));
  }
}
