import { Module } from '@nestjs/common';
import { crmOrganizationEventsV1 } from '@projectflo/contracts';
import { EventSourcedServiceModule, tenantDirectoryProviders } from '@projectflo/platform/service';
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
 * what the gRPC gate asks).
 */
@Module({
  imports: [EventSourcedServiceModule.forRoot(NOTIFICATIONS_SERVICE_OPTIONS)],
  controllers: [NotificationRulesGrpcController],
  providers: [
    // Who may call: crm's users as its organization events tell them.
    ...tenantDirectoryProviders(crmOrganizationEventsV1.CRM_MEMBERSHIP_SOURCE_V1),
    // Rules: the tenant's catalog (DefineNotificationRule, ChangeNotificationRule, RemoveNotificationRule, ListNotificationRules).
    NotificationRuleCommands,
  ],
})
export class NotificationsAppModule {}
