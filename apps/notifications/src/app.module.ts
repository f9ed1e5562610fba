import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { crmOrganizationEventsV1 } from '@projectflo/contracts';
import { EventSourcedServiceModule, tenantDirectoryProviders } from '@projectflo/platform/service';
import { DeliveryLogGrpcController } from './deliveries/delivery-log-grpc.controller';
import { DeliveryLogConsumer } from './deliveries/delivery-log.consumer';
import { DeliveryLogQueries } from './deliveries/delivery-log.queries';
import { NotificationRequests } from './deliveries/notification-requests.repository';
import { NotificationDispatcher } from './deliveries/notification.dispatcher';
import { NotificationActivitiesRegistration } from './deliveries/notification.registration';
import { NotificationStarter } from './deliveries/notification.starter';
import { DigestStarter } from './deliveries/digest.starter';
import { ThrottleSlots } from './deliveries/throttle-slots.repository';
import { TriggersConsumer } from './deliveries/triggers.consumer';
import { ChannelAdapters } from './channels/channel-adapters';
import { ChannelSecretsRepository, channelSecretBoxProvider } from './channels/channel-secrets.repository';
import { ChannelSettingsGrpcController } from './channels/channel-settings-grpc.controller';
import { ChannelSettingsCommands } from './channels/channel-settings.commands';
import { CHANNEL_ADAPTERS, IN_APP_INBOX, RECIPIENT_PREFERENCES } from './deliveries/delivery.ports';
import { FactsConsumer } from './facts/facts.consumer';
import { InboxGrpcController } from './inbox/inbox-grpc.controller';
import { InboxCommands } from './inbox/inbox.commands';
import { InboxConsumer } from './inbox/inbox.consumer';
import { InboxQueries } from './inbox/inbox.queries';
import { PreferencesGrpcController } from './preferences/preferences-grpc.controller';
import { PreferencesCommands } from './preferences/preferences.commands';
import { FactsRepository } from './facts/facts.repository';
import { NOTIFICATIONS_SERVICE_OPTIONS } from './notifications.service-options';
import { NotificationRulesGrpcController } from './rules/rules-grpc.controller';
import { NotificationRuleCommands } from './rules/rules.commands';

/**
 * Everything the notifications service registers, in one place. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) is provided globally by
 * bootstrapGrpcService; EventSourcedServiceModule adds the event store (schema notifications),
 * the relay to its topics, the migrations and the worker on task queue notifications.
 * NotificationsService's RPCs are served by one controller per feature.
 *
 * Consumer groups (`<schema>.<purpose>`): user-directory (crm.organization.v1 → tenant_members,
 * what the gRPC gate asks), facts (tasks.task.v1, crm.lead.v1, crm.contact.v1, crm.organization.v1
 * → the facts tables), triggers (tasks.task.v1, scheduling.task-schedule.v1 → notification
 * requests), delivery-log (notifications.delivery.v1 → deliveries, delivery_steps), inbox
 * (notifications.inbox.v1 → inbox_items).
 * The delivery activities take the channel adapters, the in-app inbox and the recipients'
 * preferences through the tokens of deliveries/delivery.ports.ts.
 */
@Module({
  imports: [EventSourcedServiceModule.forRoot(NOTIFICATIONS_SERVICE_OPTIONS)],
  controllers: [NotificationRulesGrpcController, DeliveryLogGrpcController, InboxGrpcController, PreferencesGrpcController, ChannelSettingsGrpcController],
  providers: [
    // Who may call: crm's users as its organization events tell them.
    ...tenantDirectoryProviders(crmOrganizationEventsV1.CRM_MEMBERSHIP_SOURCE_V1),
    // Rules: the tenant's catalog (DefineNotificationRule, ChangeNotificationRule, RemoveNotificationRule, ListNotificationRules).
    NotificationRuleCommands,
    // Facts messages are addressed and rendered with (tasks, leads, contacts, the studio, its users).
    FactsConsumer,
    FactsRepository,
    // Triggers → notification requests (inbox tx) → dispatcher (after commit) → notifyWorkflow and its activities.
    TriggersConsumer,
    NotificationRequests,
    NotificationDispatcher,
    NotificationStarter,
    NotificationActivitiesRegistration,
    // Digests (digestWorkflow per rule, recipient and window) and throttles (slots per window).
    DigestStarter,
    ThrottleSlots,
    // The delivery log: its projection's consumer and GetDeliveryLog / ListDeliveries.
    DeliveryLogConsumer,
    DeliveryLogQueries,
    // The in-app inbox (the in-app channel of the delivery activities, and the recipient's RPCs) and its read model.
    InboxCommands,
    InboxQueries,
    InboxConsumer,
    { provide: IN_APP_INBOX, useExisting: InboxCommands },
    // Each user's preferences (their RPCs, and RecipientPreferences.of for the delivery activities).
    PreferencesCommands,
    { provide: RECIPIENT_PREFERENCES, useExisting: PreferencesCommands },
    // Channels: the tenant's settings (secrets sealed in channel_secrets) and the SMTP / SMS / Slack adapters.
    channelSecretBoxProvider,
    ChannelSecretsRepository,
    ChannelSettingsCommands,
    ChannelAdapters,
    { provide: CHANNEL_ADAPTERS, inject: [ChannelAdapters], useFactory: (adapters: ChannelAdapters) => adapters.all },
  ],
})
export class NotificationsAppModule {
  /** The module with some providers replaced (a test binds fakes to the delivery ports of deliveries/delivery.ports.ts). */
  static withProviders(overrides: Provider[]): DynamicModule {
    return { module: NotificationsAppModule, providers: overrides };
  }
}
