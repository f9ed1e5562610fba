import { Injectable } from '@nestjs/common';
import type { notificationPreferencesV1 } from '@projectflo/contracts';
import type { RequestContext, CommandContext } from '@projectflo/platform/grpc';
import { expectedVersion, list, text, uuid, validate } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import type { RecipientPreferencesPort } from '../deliveries/delivery.ports';
import { NotificationsStreams } from '../notifications.streams';
import { notificationChannel } from '../rules/rules.mapping';
import { MAX_MUTED_RULES, type PreferenceSet, preferencesDecider } from './preferences.decider';

const setRequest = z.object({
  preferences: z
    .object({
      channelOptOuts: list(notificationChannel.required, 3),
      mutedRuleIds: list(uuid, MAX_MUTED_RULES),
      quietHours: z.object({ start: text(5, { required: true }), end: text(5, { required: true }) }).nullish(),
      timezone: text(64),
      locale: text(35),
    })
    .nullish(),
  expectedVersion,
});

function toProto(p: PreferenceSet): notificationPreferencesV1.NotificationPreferences {
  return {
    channelOptOuts: p.channelOptOuts.map((c) => notificationChannel.toProto(c)),
    mutedRuleIds: [...p.mutedRuleIds],
    quietHours: p.quietHours ? { start: p.quietHours.start, end: p.quietHours.end } : undefined,
    timezone: p.timezone ?? '',
    locale: p.locale ?? '',
  };
}

/**
 * A user's own notification preferences (the user of the token), and RecipientPreferences.of for
 * the delivery workflow. Both read the preferences' own stream, never a read model, so a delivery
 * decided right after a change already honours it.
 */
@Injectable()
export class PreferencesCommands implements RecipientPreferencesPort {
  constructor(private readonly executor: CommandExecutor) {}

  async set(ctx: CommandContext, request: notificationPreferencesV1.SetNotificationPreferencesRequest): Promise<notificationPreferencesV1.SetNotificationPreferencesResponse> {
    const parsed = validate(setRequest, request);
    const p = parsed.preferences;
    const preferences: PreferenceSet = {
      channelOptOuts: p?.channelOptOuts ?? [],
      mutedRuleIds: p?.mutedRuleIds ?? [],
      quietHours: p?.quietHours ?? null,
      timezone: p?.timezone || null,
      locale: p?.locale || null,
    };
    const { state, version } = await this.executor.run(
      preferencesDecider,
      NotificationsStreams.preferences(ctx.tenantId, ctx.actorId),
      { type: 'SetNotificationPreferences', data: { userId: ctx.actorId, preferences } },
      { context: ctx, expectedVersion: parsed.expectedVersion },
    );
    return { preferences: toProto(state), version: String(version) };
  }

  async get(ctx: RequestContext): Promise<notificationPreferencesV1.GetNotificationPreferencesResponse> {
    const { state, version } = await this.executor.load(preferencesDecider, NotificationsStreams.preferences(ctx.tenantId, ctx.actorId), ctx.tenantId);
    return { preferences: toProto(state), version: String(version) };
  }

  /** RecipientPreferences.of(tenantId, userId): the defaults until the user sets any. */
  async of(tenantId: string, userId: string): Promise<PreferenceSet> {
    return (await this.executor.load(preferencesDecider, NotificationsStreams.preferences(tenantId, userId), tenantId)).state;
  }
}
