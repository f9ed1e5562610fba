import type { CommandMetadata } from '@projectflo/platform/core';
import type { ChannelAdapter } from '../channels/channel-adapter';
import type { NotificationChannel } from '../rules/notification-rules.events';
import type { QuietHours } from './quiet-hours';

/*
 * What the delivery workflow's activities need from the channels, inbox and preferences features
 * (apps/notifications/src/channels, inbox, preferences), as the team agreed them (common9.md). The
 * app module binds each token to its feature's provider; a test binds fakes. Unbound, the
 * activities run without preferences (nothing opted out, no quiet hours) and record a permanent
 * failure for a channel that has no adapter.
 */

/** Every external channel's adapter (email, sms, slack): `readonly ChannelAdapter[]`. */
export const CHANNEL_ADAPTERS = Symbol('CHANNEL_ADAPTERS');
export type ChannelAdapters = readonly ChannelAdapter[];

export interface RecipientPreferenceSet {
  readonly channelOptOuts: readonly NotificationChannel[];
  readonly mutedRuleIds: readonly string[];
  readonly quietHours: QuietHours | null;
  readonly timezone: string | null;
  readonly locale: string | null;
}

/** RecipientPreferences.of(tenantId, userId). */
export const RECIPIENT_PREFERENCES = Symbol('RECIPIENT_PREFERENCES');
export interface RecipientPreferencesPort {
  of(tenantId: string, userId: string): Promise<RecipientPreferenceSet>;
}

export const NO_PREFERENCES: RecipientPreferenceSet = { channelOptOuts: [], mutedRuleIds: [], quietHours: null, timezone: null, locale: null };

export interface InAppMessage {
  readonly deliveryId: string;
  readonly tenantId: string;
  readonly recipientId: string;
  readonly ruleId: string;
  readonly title: string;
  readonly body: string;
  readonly link?: string;
  readonly taskId?: string;
}

/** InboxCommands.deliver: the in-app channel, idempotent by delivery id. */
export const IN_APP_INBOX = Symbol('IN_APP_INBOX');
export interface InAppInboxPort {
  deliver(metadata: CommandMetadata, message: InAppMessage): Promise<unknown>;
}
