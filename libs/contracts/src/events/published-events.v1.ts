import { CRM_CONTACT_TOPIC_V1, crmContactEventContractsV1 } from './crm-contact.v1';
import { CRM_LEAD_PIPELINE_TOPIC_V1, crmLeadPipelineEventContractsV1 } from './crm-lead-pipeline.v1';
import { CRM_LEAD_TOPIC_V1, crmLeadEventContractsV1 } from './crm-lead.v1';
import { CRM_ORGANIZATION_TOPIC_V1, crmOrganizationEventContractsV1 } from './crm-organization.v1';
import type { EventContracts } from './event-contract';
import { LEDGER_BUILD_TOPIC_V1, ledgerBuildEventContractsV1 } from './ledger-build.v1';
import { LEDGER_BUILD_LEDGER_TOPIC_V1, ledgerBuildLedgerEventContractsV1 } from './ledger-build-ledger.v1';
import { LEDGER_CATALOG_TOPIC_V1, ledgerCatalogEventContractsV1 } from './ledger-catalog.v1';
import { NOTIFICATIONS_CHANNEL_SETTINGS_TOPIC_V1, notificationsChannelSettingsEventContractsV1 } from './notifications-channel-settings.v1';
import { NOTIFICATIONS_DELIVERY_TOPIC_V1, notificationsDeliveryEventContractsV1 } from './notifications-delivery.v1';
import { NOTIFICATIONS_INBOX_TOPIC_V1, notificationsInboxEventContractsV1 } from './notifications-inbox.v1';
import { NOTIFICATIONS_NOTIFICATION_RULE_TOPIC_V1, notificationsNotificationRuleEventContractsV1 } from './notifications-notification-rule.v1';
import { NOTIFICATIONS_PREFERENCES_TOPIC_V1, notificationsPreferencesEventContractsV1 } from './notifications-preferences.v1';
import { SCHEDULING_CONTRIBUTOR_CALENDAR_TOPIC_V1, schedulingContributorCalendarEventContractsV1 } from './scheduling-contributor-calendar.v1';
import { SCHEDULING_PROJECT_ASSIGNMENT_TOPIC_V1, schedulingProjectAssignmentEventContractsV1 } from './scheduling-project-assignment.v1';
import { SCHEDULING_REMINDER_POLICY_TOPIC_V1, schedulingReminderPolicyEventContractsV1 } from './scheduling-reminder-policy.v1';
import { SCHEDULING_TASK_SCHEDULE_TOPIC_V1, schedulingTaskScheduleEventContractsV1 } from './scheduling-task-schedule.v1';
import { TASKS_AUTOMATION_GUARD_TOPIC_V1, tasksAutomationGuardEventContractsV1 } from './tasks-automation-guard.v1';
import { TASKS_BUSINESS_CALENDAR_TOPIC_V1, tasksBusinessCalendarEventContractsV1 } from './tasks-business-calendar.v1';
import { TASKS_EVENT_TYPE_TOPIC_V1, tasksEventTypeEventContractsV1 } from './tasks-event-type.v1';
import { TASKS_EXPANSION_TOPIC_V1, tasksExpansionEventContractsV1 } from './tasks-expansion.v1';
import { TASKS_EXTERNAL_EVENT_TOPIC_V1, tasksExternalEventEventContractsV1 } from './tasks-external-event.v1';
import { TASKS_TASK_TEMPLATE_TOPIC_V1, tasksTaskTemplateEventContractsV1 } from './tasks-task-template.v1';
import { TASKS_TASK_TOPIC_V1, tasksTaskEventContractsV1 } from './tasks-task.v1';

/** The contracts of every event type crm publishes, by topic. */
export const CRM_TOPIC_CONTRACTS_V1 = {
  [CRM_ORGANIZATION_TOPIC_V1]: crmOrganizationEventContractsV1,
  [CRM_CONTACT_TOPIC_V1]: crmContactEventContractsV1,
  [CRM_LEAD_PIPELINE_TOPIC_V1]: crmLeadPipelineEventContractsV1,
  [CRM_LEAD_TOPIC_V1]: crmLeadEventContractsV1,
} as const satisfies Readonly<Record<string, EventContracts>>;

/** The contracts of every event type the task-engine publishes, by topic. */
export const TASKS_TOPIC_CONTRACTS_V1 = {
  [TASKS_EVENT_TYPE_TOPIC_V1]: tasksEventTypeEventContractsV1,
  [TASKS_EXTERNAL_EVENT_TOPIC_V1]: tasksExternalEventEventContractsV1,
  [TASKS_TASK_TEMPLATE_TOPIC_V1]: tasksTaskTemplateEventContractsV1,
  [TASKS_TASK_TOPIC_V1]: tasksTaskEventContractsV1,
  [TASKS_AUTOMATION_GUARD_TOPIC_V1]: tasksAutomationGuardEventContractsV1,
  [TASKS_BUSINESS_CALENDAR_TOPIC_V1]: tasksBusinessCalendarEventContractsV1,
  [TASKS_EXPANSION_TOPIC_V1]: tasksExpansionEventContractsV1,
} as const satisfies Readonly<Record<string, EventContracts>>;

/** The contracts of every event type scheduling publishes, by topic. */
export const SCHEDULING_TOPIC_CONTRACTS_V1 = {
  [SCHEDULING_TASK_SCHEDULE_TOPIC_V1]: schedulingTaskScheduleEventContractsV1,
  [SCHEDULING_REMINDER_POLICY_TOPIC_V1]: schedulingReminderPolicyEventContractsV1,
  [SCHEDULING_CONTRIBUTOR_CALENDAR_TOPIC_V1]: schedulingContributorCalendarEventContractsV1,
  [SCHEDULING_PROJECT_ASSIGNMENT_TOPIC_V1]: schedulingProjectAssignmentEventContractsV1,
} as const satisfies Readonly<Record<string, EventContracts>>;

/** The contracts of every event type notifications publishes, by topic. */
export const NOTIFICATIONS_TOPIC_CONTRACTS_V1 = {
  [NOTIFICATIONS_NOTIFICATION_RULE_TOPIC_V1]: notificationsNotificationRuleEventContractsV1,
  [NOTIFICATIONS_DELIVERY_TOPIC_V1]: notificationsDeliveryEventContractsV1,
  [NOTIFICATIONS_INBOX_TOPIC_V1]: notificationsInboxEventContractsV1,
  [NOTIFICATIONS_PREFERENCES_TOPIC_V1]: notificationsPreferencesEventContractsV1,
  [NOTIFICATIONS_CHANNEL_SETTINGS_TOPIC_V1]: notificationsChannelSettingsEventContractsV1,
} as const satisfies Readonly<Record<string, EventContracts>>;

/** The contracts of every event type build-ledger's builds and catalogs publish, by topic. */
export const LEDGER_TOPIC_CONTRACTS_V1 = {
  [LEDGER_BUILD_TOPIC_V1]: ledgerBuildEventContractsV1,
  [LEDGER_CATALOG_TOPIC_V1]: ledgerCatalogEventContractsV1,
  [LEDGER_BUILD_LEDGER_TOPIC_V1]: ledgerBuildLedgerEventContractsV1,
} as const satisfies Readonly<Record<string, EventContracts>>;

/** Every event type build-ledger's builds and catalogs publish, on either topic. */
export const ledgerEventContractsV1 = {
  ...ledgerBuildEventContractsV1,
  ...ledgerCatalogEventContractsV1,
  ...ledgerBuildLedgerEventContractsV1,
} as const satisfies EventContracts;

/** Every published topic's contracts (the inbound topic's plain-JSON message is ExternalEventInboundMessageV1). */
export const TOPIC_CONTRACTS_V1: Readonly<Record<string, EventContracts>> = {
  ...CRM_TOPIC_CONTRACTS_V1,
  ...TASKS_TOPIC_CONTRACTS_V1,
  ...SCHEDULING_TOPIC_CONTRACTS_V1,
  ...NOTIFICATIONS_TOPIC_CONTRACTS_V1,
  ...LEDGER_TOPIC_CONTRACTS_V1,
};

/** Every event type crm publishes, on any of its topics (a type name belongs to one topic). */
export const crmEventContractsV1 = {
  ...crmOrganizationEventContractsV1,
  ...crmContactEventContractsV1,
  ...crmLeadPipelineEventContractsV1,
  ...crmLeadEventContractsV1,
} as const satisfies EventContracts;

/** Every event type the task-engine publishes, on any of its topics (a type name belongs to one topic). */
export const tasksEventContractsV1 = {
  ...tasksEventTypeEventContractsV1,
  ...tasksExternalEventEventContractsV1,
  ...tasksTaskTemplateEventContractsV1,
  ...tasksTaskEventContractsV1,
  ...tasksAutomationGuardEventContractsV1,
  ...tasksBusinessCalendarEventContractsV1,
  ...tasksExpansionEventContractsV1,
} as const satisfies EventContracts;

/** Every event type scheduling publishes, on any of its topics (a type name belongs to one topic). */
export const schedulingEventContractsV1 = {
  ...schedulingTaskScheduleEventContractsV1,
  ...schedulingReminderPolicyEventContractsV1,
  ...schedulingContributorCalendarEventContractsV1,
  ...schedulingProjectAssignmentEventContractsV1,
} as const satisfies EventContracts;

/** Every event type notifications publishes, on any of its topics (a type name belongs to one topic). */
export const notificationsEventContractsV1 = {
  ...notificationsNotificationRuleEventContractsV1,
  ...notificationsDeliveryEventContractsV1,
  ...notificationsInboxEventContractsV1,
  ...notificationsPreferencesEventContractsV1,
  ...notificationsChannelSettingsEventContractsV1,
} as const satisfies EventContracts;
