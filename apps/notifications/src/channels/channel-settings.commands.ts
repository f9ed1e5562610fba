import { Injectable } from '@nestjs/common';
import { notificationChannelsV1 } from '@projectflo/contracts';
import { type Clock, CLOCK, deriveId } from '@projectflo/platform/core';
import { type CommandContext, enumMapping, expectedVersion, type RequestContext, text, validate } from '@projectflo/platform/grpc';
import { Secret } from '@projectflo/platform/secrets';
import { CommandExecutor } from '@projectflo/platform/service';
import { Inject } from '@nestjs/common';
import { z } from 'zod';
import { NotificationsStreams } from '../notifications.streams';
import type { ExternalChannel } from './channel-adapter';
import type { ChannelCredentialsSource, TenantChannelCredentials } from './channel-credentials';
import { type ChannelSetting, channelSettingsDecider, type SecretRef } from './channel-settings.decider';
import { ChannelSecretsRepository } from './channel-secrets.repository';

export const externalChannel = enumMapping<notificationChannelsV1.ExternalChannel, ExternalChannel>(notificationChannelsV1.ExternalChannel, {
  EXTERNAL_CHANNEL_EMAIL: 'email',
  EXTERNAL_CHANNEL_SMS: 'sms',
  EXTERNAL_CHANNEL_SLACK: 'slack',
});
const CHANNELS: readonly ExternalChannel[] = ['email', 'sms', 'slack'];

/** A Slack webhook is https (or http to the loopback, for local stand-ins): never another scheme or a plain-text hop. */
function isWebhookUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost'));
  } catch {
    return false;
  }
}

const setRequest = z
  .object({
    channel: externalChannel.required,
    sender: text(320),
    username: text(320),
    secret: text(2048).nullish(),
    expectedVersion,
  })
  .superRefine((r, ctx) => {
    if (r.channel === 'slack' && r.secret && !isWebhookUrl(r.secret)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['secret'], message: 'must be an https URL (the Slack incoming webhook)' });
    if (r.channel !== 'email' && r.username !== '') ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['username'], message: 'is for email only' });
    if (r.channel === 'slack' && r.sender !== '') ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['sender'], message: 'must be empty for Slack' });
  });

const toProto = (channel: ExternalChannel, s: ChannelSetting | undefined): notificationChannelsV1.ChannelSettings => ({
  channel: externalChannel.toProto(channel),
  configured: s !== undefined,
  sender: s?.sender ?? '',
  username: s?.username ?? '',
  secretSet: (s?.secret ?? null) !== null,
});

/**
 * The tenant's channel settings (SetChannelSettings / GetChannelSettings, admins and up) and the
 * adapters' ChannelCredentialsSource. A secret is sealed into channel_secrets before the event that
 * references it; Get and the events say only whether one is set.
 */
@Injectable()
export class ChannelSettingsCommands implements ChannelCredentialsSource {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly secrets: ChannelSecretsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async set(ctx: CommandContext, request: notificationChannelsV1.SetChannelSettingsRequest): Promise<notificationChannelsV1.SetChannelSettingsResponse> {
    const r = validate(setRequest, request);
    let secret: SecretRef | null | 'keep' = 'keep';
    if (r.secret === '') secret = null;
    else if (r.secret) secret = await this.secrets.store(ctx.tenantId, r.channel, deriveId('channel-secret', ctx.tenantId, ctx.requestId, r.channel), new Secret(r.secret), this.clock.now());
    const { state, version } = await this.executor.run(
      channelSettingsDecider,
      NotificationsStreams.channelSettings(ctx.tenantId),
      { type: 'SetChannelSettings', data: { channel: r.channel, sender: r.sender || null, username: r.username || null, secret } },
      { context: ctx, expectedVersion: r.expectedVersion },
    );
    return { settings: toProto(r.channel, state[r.channel]), version: String(version) };
  }

  async get(ctx: RequestContext): Promise<notificationChannelsV1.GetChannelSettingsResponse> {
    const { state, version } = await this.executor.load(channelSettingsDecider, NotificationsStreams.channelSettings(ctx.tenantId), ctx.tenantId);
    return { channels: CHANNELS.map((c) => toProto(c, state[c])), version: String(version) };
  }

  /** The credentials the adapters send with, secrets opened now (still `Secret`: they never print). */
  async forTenant(tenantId: string): Promise<TenantChannelCredentials> {
    const { state } = await this.executor.load(channelSettingsDecider, NotificationsStreams.channelSettings(tenantId), tenantId);
    const open = async (channel: ExternalChannel) => {
      const ref = state[channel]?.secret;
      return ref ? this.secrets.open(tenantId, channel, ref) : null;
    };
    const [emailSecret, smsKey, webhook] = [await open('email'), await open('sms'), await open('slack')];
    return {
      email: state.email?.sender ? { fromAddress: state.email.sender, username: state.email.username, password: emailSecret } : null,
      sms: state.sms?.sender && smsKey ? { apiKey: smsKey, sender: state.sms.sender } : null,
      slack: webhook ? { webhookUrl: webhook } : null,
    };
  }
}
