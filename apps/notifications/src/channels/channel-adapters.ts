import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import type { ChannelAdapter } from './channel-adapter';
import { channelEndpointsFromEnv } from './channel-credentials';
import { ChannelSettingsCommands } from './channel-settings.commands';
import { SlackWebhookAdapter } from './slack-webhook.adapter';
import { SmsHttpAdapter } from './sms-http.adapter';
import { SmtpEmailAdapter } from './smtp-email.adapter';

/**
 * The service's external channel adapters (bound to CHANNEL_ADAPTERS for the delivery activities):
 * the endpoints from the environment (SMTP_HOST, SMTP_PORT, SMS_API_URL, ...), each tenant's
 * credentials from its channel settings at the moment of sending. Closes the SMTP pools at shutdown.
 */
@Injectable()
export class ChannelAdapters implements OnApplicationShutdown {
  readonly all: readonly ChannelAdapter[];
  private readonly email: SmtpEmailAdapter;

  constructor(settings: ChannelSettingsCommands, @Inject(CLOCK) clock: Clock) {
    const endpoints = channelEndpointsFromEnv();
    this.email = new SmtpEmailAdapter(settings, endpoints);
    this.all = [this.email, new SmsHttpAdapter(settings, endpoints, clock), new SlackWebhookAdapter(settings, endpoints, clock)];
  }

  onApplicationShutdown(): void {
    this.email.close();
  }
}
