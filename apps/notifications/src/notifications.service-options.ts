import { join } from 'node:path';
import {
  crmContactEventsV1,
  crmLeadEventsV1,
  crmOrganizationEventsV1,
  notificationsChannelSettingsEventsV1,
  notificationsDeliveryEventsV1,
  notificationsInboxEventsV1,
  notificationsNotificationRuleEventsV1,
  notificationsPreferencesEventsV1,
  schedulingTaskScheduleEventsV1,
  tasksTaskEventsV1,
} from '@projectflo/contracts';
import type { EventSourcedServiceOptions } from '@projectflo/platform/service';
import { DeliverySchema, DeliveryStepSchema } from './deliveries/delivery-log.entities';
import { InboxItemSchema } from './inbox/inbox.entities';
import { NOTIFICATIONS_AGGREGATE_TYPES, NOTIFICATIONS_SERVICE } from './notifications.streams';

/** Absolute path of the workflow module the worker bundles (resolved, so .ts under swc/jest and .js when compiled). */
export const NOTIFICATIONS_WORKFLOWS_PATH: string = require.resolve('./deliveries/delivery.workflows');

/**
 * What makes the notifications service: its schema, the topics it publishes, what its consumers
 * read (its Kafka ACLs come from there), its migrations and its worker.
 */
export const NOTIFICATIONS_SERVICE_OPTIONS: EventSourcedServiceOptions = {
  service: NOTIFICATIONS_SERVICE,
  schema: 'notifications',
  topics: {
    notification: 'notifications.notification.v1',
    [NOTIFICATIONS_AGGREGATE_TYPES.notificationRules]: notificationsNotificationRuleEventsV1.NOTIFICATIONS_NOTIFICATION_RULE_TOPIC_V1,
    [NOTIFICATIONS_AGGREGATE_TYPES.delivery]: notificationsDeliveryEventsV1.NOTIFICATIONS_DELIVERY_TOPIC_V1,
    [NOTIFICATIONS_AGGREGATE_TYPES.inboxItem]: notificationsInboxEventsV1.NOTIFICATIONS_INBOX_TOPIC_V1,
    [NOTIFICATIONS_AGGREGATE_TYPES.preferences]: notificationsPreferencesEventsV1.NOTIFICATIONS_PREFERENCES_TOPIC_V1,
    [NOTIFICATIONS_AGGREGATE_TYPES.channelSettings]: notificationsChannelSettingsEventsV1.NOTIFICATIONS_CHANNEL_SETTINGS_TOPIC_V1,
  },
  extraTopics: [
    tasksTaskEventsV1.TASKS_TASK_TOPIC_V1,
    schedulingTaskScheduleEventsV1.SCHEDULING_TASK_SCHEDULE_TOPIC_V1,
    crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1,
    crmLeadEventsV1.CRM_LEAD_TOPIC_V1,
    crmContactEventsV1.CRM_CONTACT_TOPIC_V1,
  ],
  consumes: {
    'user-directory': [crmOrganizationEventsV1.CRM_MEMBERSHIP_SOURCE_V1.topic],
    // What messages are addressed and rendered with (tasks, leads, contacts, the studio and its users).
    facts: [tasksTaskEventsV1.TASKS_TASK_TOPIC_V1, crmLeadEventsV1.CRM_LEAD_TOPIC_V1, crmContactEventsV1.CRM_CONTACT_TOPIC_V1, crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1],
    // What starts a notification: task events and scheduling's timers.
    triggers: [tasksTaskEventsV1.TASKS_TASK_TOPIC_V1, schedulingTaskScheduleEventsV1.SCHEDULING_TASK_SCHEDULE_TOPIC_V1],
    'delivery-log': [notificationsDeliveryEventsV1.NOTIFICATIONS_DELIVERY_TOPIC_V1],
    inbox: [notificationsInboxEventsV1.NOTIFICATIONS_INBOX_TOPIC_V1],
  },
  entities: [DeliverySchema, DeliveryStepSchema, InboxItemSchema],
  migrationsPath: join(__dirname, 'migrations'),
  worker: { taskQueue: 'notifications', workflowsPath: NOTIFICATIONS_WORKFLOWS_PATH },
};
