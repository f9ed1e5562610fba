/**
 * The contracts of ProjectFlo: gRPC types and NestJS controller interfaces generated from proto/
 * (never edited by hand; regenerate with `npm run proto:gen`), the constants every service needs
 * to serve or call them, and the versioned zod payload schemas of every event on Kafka.
 *
 * Usage: `import { crmV1, GRPC_CONTRACTS } from '@projectflo/contracts'`, then
 * `crmV1.CrmServiceController`, `crmV1.CaptureLeadRequest`, `crmV1.ContactType.CONTACT_TYPE_CLIENT`.
 */
export * as commonV1 from './generated/common/v1/common';
export * as crmV1 from './generated/crm/v1/crm';
export * as tasksV1 from './generated/tasks/v1/tasks';
export * as tasksRecipesV1 from './generated/tasks/v1/recipes';
export * as ledgerV1 from './generated/ledger/v1/ledger';
export * as ledgerInvoicingV1 from './generated/ledger/v1/invoicing';
export * as ledgerCatalogV1 from './generated/ledger/v1/catalog';
export * as ledgerBuildsV1 from './generated/ledger/v1/builds';
export * as schedulingV1 from './generated/scheduling/v1/scheduling';
export * as schedulingCalendarsV1 from './generated/scheduling/v1/calendars';
export * as schedulingRemindersV1 from './generated/scheduling/v1/reminders';
export * as schedulingAssignmentsV1 from './generated/scheduling/v1/assignments';
export * as notificationsV1 from './generated/notifications/v1/notifications';
export * as notificationRulesV1 from './generated/notifications/v1/rules';
export * as notificationDeliveriesV1 from './generated/notifications/v1/deliveries';
export * as notificationInboxV1 from './generated/notifications/v1/inbox';
export * as notificationPreferencesV1 from './generated/notifications/v1/preferences';
export * as notificationChannelsV1 from './generated/notifications/v1/channels';
export type { Timestamp } from './generated/google/protobuf/timestamp';
export * from './services';
export type { BadRequest, BadRequest_FieldViolation, ErrorInfo } from './generated/google/rpc/error_details';
export type { Status as RpcStatus } from './generated/google/rpc/status';
// Kafka payload schemas, one module per topic (docs/EVENTS.md lists them).
export * from './events/event-contract';
export * from './events/published-events.v1';
export type { JsonObject, JsonValue } from './events/payload-fields';
export * as crmOrganizationEventsV1 from './events/crm-organization.v1';
export * as crmContactEventsV1 from './events/crm-contact.v1';
export * as crmLeadPipelineEventsV1 from './events/crm-lead-pipeline.v1';
export * as crmLeadEventsV1 from './events/crm-lead.v1';
export * as tasksEventTypeEventsV1 from './events/tasks-event-type.v1';
export * as tasksExternalEventEventsV1 from './events/tasks-external-event.v1';
// The one bound of an external event's payload, which the task-engine's edge and domain apply too.
export { MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1 } from './events/tasks-external-event.v1';
export * as tasksTaskTemplateEventsV1 from './events/tasks-task-template.v1';
export * as tasksTaskEventsV1 from './events/tasks-task.v1';
export * as tasksAutomationGuardEventsV1 from './events/tasks-automation-guard.v1';
export * as tasksExpansionEventsV1 from './events/tasks-expansion.v1';
export * as tasksBusinessCalendarEventsV1 from './events/tasks-business-calendar.v1';
export * as tasksExternalEventsInboundV1 from './events/tasks-external-events-in.v1';
export * as schedulingTaskScheduleEventsV1 from './events/scheduling-task-schedule.v1';
export * as schedulingReminderPolicyEventsV1 from './events/scheduling-reminder-policy.v1';
export * as notificationsNotificationRuleEventsV1 from './events/notifications-notification-rule.v1';
export * as notificationsDeliveryEventsV1 from './events/notifications-delivery.v1';
export * as notificationsInboxEventsV1 from './events/notifications-inbox.v1';
export * as notificationsPreferencesEventsV1 from './events/notifications-preferences.v1';
export * as notificationsChannelSettingsEventsV1 from './events/notifications-channel-settings.v1';
export * as schedulingContributorCalendarEventsV1 from './events/scheduling-contributor-calendar.v1';
export * as schedulingProjectAssignmentEventsV1 from './events/scheduling-project-assignment.v1';
export * as ledgerBuildEventsV1 from './events/ledger-build.v1';
export * as ledgerCatalogEventsV1 from './events/ledger-catalog.v1';
export * as ledgerBuildLedgerEventsV1 from './events/ledger-build-ledger.v1';
