import { crmOrganizationEventsV1, notificationsNotificationRuleEventsV1 } from '@projectflo/contracts';
import type { DomainEvent } from '@projectflo/platform/core';

/** What starts a notification: a task event (tasks.task.v1) or a timer of scheduling (scheduling.task-schedule.v1). */
export const NOTIFICATION_TRIGGERS = notificationsNotificationRuleEventsV1.NOTIFICATION_TRIGGERS_V1;
export type NotificationTrigger = (typeof NOTIFICATION_TRIGGERS)[number];

export const NOTIFICATION_CHANNELS = notificationsNotificationRuleEventsV1.NOTIFICATION_CHANNELS_V1;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** The roles a ROLE recipient may name: crm's user roles. */
export const RECIPIENT_ROLES = crmOrganizationEventsV1.USER_ROLES_V1;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

/** Who a rule's message goes to: the task's assignee, the owner (assignee) of the task's lead, one user, or every active user of a role. */
export type RecipientSpec =
  | { readonly kind: 'assignee' }
  | { readonly kind: 'lead_owner' }
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'role'; readonly role: RecipientRole };

/** One rule as it is stored and applied. */
export interface NotificationRuleDefinition {
  readonly name: string;
  readonly trigger: NotificationTrigger;
  /** Only tasks of this task template; null: every task of the tenant. */
  readonly templateKey: string | null;
  readonly channel: NotificationChannel;
  readonly recipients: readonly RecipientSpec[];
  /** Handlebars over the catalog of message-template.ts (checked when saved). */
  readonly subject: string;
  readonly body: string;
  /** Delivered despite the recipient's opt-outs and mutes (never inside quiet hours' wait: see deliveries). */
  readonly critical: boolean;
  /** An SMS that cannot be delivered goes out as an email. */
  readonly smsFallbackToEmail: boolean;
  /**
   * One message per recipient per window (ISO-8601 duration, e.g. PT1H, P1D) listing every task
   * the rule fired for in it, instead of one message each; null: a message per trigger.
   */
  readonly digestWindow: string | null;
  /** At most `limit` messages per recipient per `window` (ISO-8601 duration); the rest are suppressed as throttled. */
  readonly throttle: NotificationThrottle | null;
}

export interface NotificationThrottle {
  readonly limit: number;
  readonly window: string;
}

export type NotificationRuleDefined = DomainEvent<
  'NotificationRuleDefined',
  NotificationRuleDefinition & { readonly tenantId: string; readonly ruleId: string; readonly definedBy: string; readonly definedAt: string }
>;

/** The whole rule after the change. */
export type NotificationRuleChanged = DomainEvent<
  'NotificationRuleChanged',
  NotificationRuleDefinition & { readonly tenantId: string; readonly ruleId: string; readonly changedBy: string; readonly changedAt: string }
>;

export type NotificationRuleRemoved = DomainEvent<
  'NotificationRuleRemoved',
  { readonly tenantId: string; readonly ruleId: string; readonly removedBy: string; readonly removedAt: string }
>;

export type NotificationRuleEvent = NotificationRuleDefined | NotificationRuleChanged | NotificationRuleRemoved;
