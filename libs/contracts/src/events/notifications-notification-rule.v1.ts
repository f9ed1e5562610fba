import { z } from 'zod';
import { actor, id, instant, list, requiredText, text } from './payload-fields';
import { USER_ROLES_V1 } from './crm-organization.v1';
import { isoDuration, templateKey } from './scheduling-fields';

/*
 * Payload schemas of the events on `notifications.notification-rule.v1` (key: the tenant id): a
 * tenant's notification rules, one catalog per tenant. Rules for change as in crm-lead.v1.ts.
 */

export const NOTIFICATIONS_NOTIFICATION_RULE_TOPIC_V1 = 'notifications.notification-rule.v1';

export const NOTIFICATION_TRIGGERS_V1 = ['task_created', 'reminder_due', 'task_due', 'task_overdue', 'task_completed'] as const;
export const NOTIFICATION_CHANNELS_V1 = ['email', 'sms', 'slack', 'in_app'] as const;

const recipient = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('assignee') }),
  z.object({ kind: z.literal('lead_owner') }),
  z.object({ kind: z.literal('user'), userId: id }),
  z.object({ kind: z.literal('role'), role: z.enum(USER_ROLES_V1) }),
]);

/** The whole rule (a change repeats it whole). */
const rule = {
  tenantId: id,
  ruleId: id,
  name: requiredText(200),
  trigger: z.enum(NOTIFICATION_TRIGGERS_V1),
  /** Only tasks of this template; null: every task of the tenant. */
  templateKey: templateKey.nullable(),
  channel: z.enum(NOTIFICATION_CHANNELS_V1),
  recipients: list(recipient, 10),
  /** Handlebars over the notifications service's variable catalog. */
  subject: text(200),
  body: requiredText(4_000),
  critical: z.boolean(),
  smsFallbackToEmail: z.boolean(),
  /** One message per recipient per window (ISO-8601 duration); null or absent: none. */
  digestWindow: isoDuration.nullish(),
  /** At most `limit` messages per recipient per `window`; null or absent: none. */
  throttle: z.object({ limit: z.number().int().min(1).max(1_000), window: isoDuration }).nullish(),
};

export const NotificationRuleDefinedV1 = z.object({ ...rule, definedBy: actor, definedAt: instant });
export const NotificationRuleChangedV1 = z.object({ ...rule, changedBy: actor, changedAt: instant });
export const NotificationRuleRemovedV1 = z.object({ tenantId: id, ruleId: id, removedBy: actor, removedAt: instant });

/** Event type → its current schema version and payload schema. */
export const notificationsNotificationRuleEventContractsV1 = {
  NotificationRuleDefined: { schemaVersion: 1, schema: NotificationRuleDefinedV1 },
  NotificationRuleChanged: { schemaVersion: 1, schema: NotificationRuleChangedV1 },
  NotificationRuleRemoved: { schemaVersion: 1, schema: NotificationRuleRemovedV1 },
} as const;
