import { notificationRulesV1 } from '@projectflo/contracts';
import { enumMapping } from '@projectflo/platform/grpc';
import type { StoredRule } from './notification-rules.decider';
import type { NotificationChannel, NotificationTrigger, RecipientSpec } from './notification-rules.events';

export const notificationTrigger = enumMapping<notificationRulesV1.NotificationTrigger, NotificationTrigger>(notificationRulesV1.NotificationTrigger, {
  NOTIFICATION_TRIGGER_TASK_CREATED: 'task_created',
  NOTIFICATION_TRIGGER_REMINDER_DUE: 'reminder_due',
  NOTIFICATION_TRIGGER_TASK_DUE: 'task_due',
  NOTIFICATION_TRIGGER_TASK_OVERDUE: 'task_overdue',
  NOTIFICATION_TRIGGER_TASK_COMPLETED: 'task_completed',
});

export const notificationChannel = enumMapping<notificationRulesV1.NotificationChannel, NotificationChannel>(notificationRulesV1.NotificationChannel, {
  NOTIFICATION_CHANNEL_EMAIL: 'email',
  NOTIFICATION_CHANNEL_SMS: 'sms',
  NOTIFICATION_CHANNEL_SLACK: 'slack',
  NOTIFICATION_CHANNEL_IN_APP: 'in_app',
});

export const recipientKind = enumMapping<notificationRulesV1.RecipientKind, RecipientSpec['kind']>(notificationRulesV1.RecipientKind, {
  RECIPIENT_KIND_ASSIGNEE: 'assignee',
  RECIPIENT_KIND_LEAD_OWNER: 'lead_owner',
  RECIPIENT_KIND_USER: 'user',
  RECIPIENT_KIND_ROLE: 'role',
});

function recipientToProto(spec: RecipientSpec): notificationRulesV1.NotificationRecipient {
  return {
    kind: recipientKind.toProto(spec.kind),
    userId: spec.kind === 'user' ? spec.userId : '',
    role: spec.kind === 'role' ? spec.role : '',
  };
}

export function ruleToProto(rule: StoredRule): notificationRulesV1.NotificationRule {
  return {
    ruleId: rule.ruleId,
    revision: String(rule.revision),
    rule: {
      name: rule.name,
      trigger: notificationTrigger.toProto(rule.trigger),
      templateKey: rule.templateKey ?? '',
      channel: notificationChannel.toProto(rule.channel),
      recipients: rule.recipients.map(recipientToProto),
      subject: rule.subject,
      body: rule.body,
      critical: rule.critical,
      smsFallbackToEmail: rule.smsFallbackToEmail,
      digestWindow: rule.digestWindow ?? '',
      ...(rule.throttle ? { throttle: { limit: rule.throttle.limit, window: rule.throttle.window } } : {}),
    },
  };
}
