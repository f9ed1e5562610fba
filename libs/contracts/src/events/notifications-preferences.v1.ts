import { z } from 'zod';
import { id, instant, list, requiredText, timezone } from './payload-fields';
import { NOTIFICATION_CHANNELS_V1 } from './notifications-notification-rule.v1';

/*
 * Payload schemas of the events on `notifications.preferences.v1` (key: the user id): one user's
 * notification preferences, each event the whole new set. Rules for change as in crm-lead.v1.ts.
 */

export const NOTIFICATIONS_PREFERENCES_TOPIC_V1 = 'notifications.preferences.v1';

export const MAX_MUTED_RULES = 200;

/** HH:mm, 00:00..23:59, in the recipient's time zone. */
export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm');

export const NotificationPreferencesSetV1 = z.object({
  tenantId: id,
  userId: id,
  channelOptOuts: list(z.enum(NOTIFICATION_CHANNELS_V1), NOTIFICATION_CHANNELS_V1.length),
  mutedRuleIds: list(id, MAX_MUTED_RULES),
  /** Start and end in the recipient's zone; start after end spans midnight (22:00-07:00). */
  quietHours: z.object({ start: clockTime, end: clockTime }).nullable(),
  timezone: timezone.nullable(),
  /** A BCP 47 language tag (de-DE). */
  locale: requiredText(35).nullable(),
  setAt: instant,
});

/** Event type → its current schema version and payload schema. */
export const notificationsPreferencesEventContractsV1 = {
  NotificationPreferencesSet: { schemaVersion: 1, schema: NotificationPreferencesSetV1 },
} as const;
