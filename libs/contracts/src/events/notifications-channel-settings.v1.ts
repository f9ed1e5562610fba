import { z } from 'zod';
import { actor, id, instant, requiredText, uuid } from './payload-fields';

/*
 * Payload schemas of the events on `notifications.channel-settings.v1` (key: the tenant id): how a
 * tenant's external channels send. A secret (SMTP password, Slack webhook URL, SMS API key) is never
 * in an event, not even encrypted: the event names the sealed secret's id and the key id that
 * wraps it, and says whether it changed. Rules for change as in crm-lead.v1.ts.
 */

export const NOTIFICATIONS_CHANNEL_SETTINGS_TOPIC_V1 = 'notifications.channel-settings.v1';

export const EXTERNAL_CHANNELS_V1 = ['email', 'sms', 'slack'] as const;

export const ChannelSettingsChangedV1 = z.object({
  tenantId: id,
  channel: z.enum(EXTERNAL_CHANNELS_V1),
  /** email: the sender address; sms: the sender number or id; slack: null. */
  sender: requiredText(320).nullable(),
  /** email: the SMTP user name; otherwise null. */
  username: requiredText(320).nullable(),
  /** The sealed secret now in force (null: none). */
  secret: z.object({ secretId: uuid, kekId: requiredText(64) }).nullable(),
  secretChanged: z.boolean(),
  changedBy: actor,
  changedAt: instant,
});

/** Event type → its current schema version and payload schema. */
export const notificationsChannelSettingsEventContractsV1 = {
  ChannelSettingsChanged: { schemaVersion: 1, schema: ChannelSettingsChangedV1 },
} as const;
