import { z } from 'zod';
import { id, instant, requiredText } from './payload-fields';
import { NOTIFICATION_CHANNELS_V1, NOTIFICATION_TRIGGERS_V1 } from './notifications-notification-rule.v1';

/*
 * Payload schemas of the events on `notifications.delivery.v1` (key: the delivery id): one message
 * of one rule to one recipient for one occurrence of its trigger. The delivery id is derived from
 * (rule, subject, occurrence, recipient), so a trigger delivered again finds the same delivery.
 * No address, message text or channel secret is ever in these payloads: ids, channels and reasons
 * only. Rules for change as in crm-lead.v1.ts.
 */

export const NOTIFICATIONS_DELIVERY_TOPIC_V1 = 'notifications.delivery.v1';

const channel = z.enum(NOTIFICATION_CHANNELS_V1);
const fact = { tenantId: id, deliveryId: id };
const reason = requiredText(500);

export const DeliveryRequestedV1 = z.object({
  ...fact,
  ruleId: id,
  trigger: z.enum(NOTIFICATION_TRIGGERS_V1),
  /** The task the notification is about. */
  subjectId: id,
  /** What makes the trigger one occurrence (`created`, a status change's event id, `P3D@<instant>`, `due@<instant>`, `overdue@<instant>`). */
  occurrence: requiredText(200),
  /** Null only for a notification whose recipients could not be resolved (its DeliveryFailed says why). */
  recipientId: id.nullable(),
  channel,
  critical: z.boolean(),
  requestedAt: instant,
});
export const DeliveryDeferredV1 = z.object({ ...fact, until: instant, reason: z.literal('quiet_hours'), deferredAt: instant });
export const DeliveryAttemptFailedV1 = z.object({ ...fact, channel, attempt: z.number().int().min(1), reason, failedAt: instant });
export const DeliveryFellBackV1 = z.object({ ...fact, fromChannel: channel, toChannel: channel, reason, fellBackAt: instant });
export const DeliveredV1 = z.object({ ...fact, channel, providerMessageId: requiredText(500), deliveredAt: instant });
export const DeliveryFailedV1 = z.object({ ...fact, channel, reason, failedAt: instant });
export const DeliverySuppressedV1 = z.object({ ...fact, reason: z.enum(['opted_out', 'muted', 'throttled']), suppressedAt: instant });

/** Event type → its current schema version and payload schema. */
export const notificationsDeliveryEventContractsV1 = {
  DeliveryRequested: { schemaVersion: 1, schema: DeliveryRequestedV1 },
  DeliveryDeferred: { schemaVersion: 1, schema: DeliveryDeferredV1 },
  DeliveryAttemptFailed: { schemaVersion: 1, schema: DeliveryAttemptFailedV1 },
  DeliveryFellBack: { schemaVersion: 1, schema: DeliveryFellBackV1 },
  Delivered: { schemaVersion: 1, schema: DeliveredV1 },
  DeliveryFailed: { schemaVersion: 1, schema: DeliveryFailedV1 },
  DeliverySuppressed: { schemaVersion: 1, schema: DeliverySuppressedV1 },
} as const;
