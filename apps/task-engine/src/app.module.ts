import { Module } from '@nestjs/common';
import { crmOrganizationEventsV1 } from '@projectflo/contracts';
import { EventSourcedServiceModule, tenantDirectoryProviders } from '@projectflo/platform/service';
import { AutomationTriggersRepository } from './automation/automation-triggers.repository';
import { ExpansionRequestsRepository } from './automation/expansion-requests.repository';
import { ExpansionOutcomeQueries } from './automation/expansion-outcome.queries';
import { ExpansionDispatcher } from './automation/expansion.dispatcher';
import { ExpansionActivitiesRegistration } from './automation/expansion.registration';
import { ExpansionStarter } from './automation/expansion.starter';
import { BusinessCalendarCommands } from './business-calendar/business-calendar.commands';
import { BuildBookedConsumer } from './component-recipes/build-booked.consumer';
import { BuildExpansionDispatcher } from './component-recipes/build-expansion.dispatcher';
import { BuildExpansionRequests, BuildExpansionStarter } from './component-recipes/build-expansion.starter';
import { ComponentRecipeCommands } from './component-recipes/component-recipes.commands';
import { ComponentRecipeQueries } from './component-recipes/component-recipes.queries';
import { DependenciesConsumer } from './dependencies/dependencies.consumer';
import { EventTypeCommands } from './event-types/event-types.commands';
import { EventTypeQueries } from './event-types/event-types.queries';
import { EventAutomationConsumer } from './external-events/event-automation.consumer';
import { ExternalEventCommands } from './external-events/external-events.commands';
import { InboundExternalEventsConsumer } from './external-events/inbound-external-events.consumer';
import { LeadAutomationConsumer } from './lead-automation/lead-automation.consumer';
import { OverdueConsumer } from './overdue/overdue.consumer';
import { ReadModelConsumer } from './read-model/read-model.consumer';
import { TaskEngineGrpcController } from './task-engine-grpc.controller';
import { TASK_ENGINE_SERVICE_OPTIONS } from './task-engine.service-options';
import { TaskCommands } from './tasks/tasks.commands';
import { TaskQueries } from './tasks/tasks.queries';
import { TemplateCommands } from './templates/templates.commands';
import { TemplateQueries } from './templates/templates.queries';

/**
 * Everything the task-engine registers, in one place. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) is provided globally by
 * bootstrapGrpcService; the infrastructure (event store, read model, Kafka, Temporal, relay,
 * worker) by EventSourcedServiceModule.
 *
 * Consumer groups (`<schema>.<purpose>`): read-model (own topics → query tables),
 * lead-automation (crm.lead.v1 → subjects + lead-status expansion requests), event-automation
 * (tasks.external-event.v1 → event-type expansion requests), inbound-external-events
 * (tasks.external-events.in.v1 → IngestExternalEvent), dependencies (tasks.task.v1 → unblocking),
 * user-directory (crm.organization.v1 → tenant_members, what the gRPC gate asks), overdue
 * (scheduling.task-schedule.v1 TaskOverdue → MarkTaskOverdue), build-expansion (ledger.build.v1
 * BuildBooked → build_expansions + a component recipe expansion request).
 */
@Module({
  imports: [EventSourcedServiceModule.forRoot(TASK_ENGINE_SERVICE_OPTIONS)],
  controllers: [TaskEngineGrpcController],
  providers: [
    // Commands and queries behind the gRPC controller.
    EventTypeCommands,
    EventTypeQueries,
    ExternalEventCommands,
    TemplateCommands,
    TemplateQueries,
    TaskCommands,
    TaskQueries,
    BusinessCalendarCommands,
    // Who may call: crm's users as its organization events tell them (USER_DIRECTORY + the
    // user-directory consumer keeping tenant_members).
    ...tenantDirectoryProviders(crmOrganizationEventsV1.CRM_MEMBERSHIP_SOURCE_V1),
    // Automation: expansions the trigger consumers request, started after commit by the dispatcher;
    // the workflow's activities, and the loop guard's trigger window.
    ExpansionRequestsRepository,
    ExpansionDispatcher,
    ExpansionOutcomeQueries,
    ExpansionStarter,
    AutomationTriggersRepository,
    ExpansionActivitiesRegistration,
    // Consumers.
    ReadModelConsumer,
    LeadAutomationConsumer,
    EventAutomationConsumer,
    InboundExternalEventsConsumer,
    DependenciesConsumer,
    OverdueConsumer,
    // Component task recipes: the recipe book, and BuildBooked (ledger.build.v1) → a build expansion
    // request in the inbox tx → started once per (tenant, build, version) after commit.
    ComponentRecipeCommands,
    ComponentRecipeQueries,
    BuildExpansionRequests,
    BuildExpansionStarter,
    BuildExpansionDispatcher,
    BuildBookedConsumer,
  ],
})
export class TaskEngineAppModule {}
