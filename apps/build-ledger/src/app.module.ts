import { Module } from '@nestjs/common';
import { crmOrganizationEventsV1 } from '@projectflo/contracts';
import { EventSourcedServiceModule, tenantDirectoryProviders } from '@projectflo/platform/service';
import { BUILD_LEDGER_SERVICE_OPTIONS } from './build-ledger.service-options';
import { BuildsGrpcController } from './builds/builds-grpc.controller';
import { BuildCommands } from './builds/builds.commands';
import { BuildQueries } from './builds/builds.queries';
import { CatalogCommands } from './catalog/catalog.commands';
import { CatalogQueries } from './catalog/catalog.queries';
import { BuildReadModelConsumer } from './read-model/read-model.consumer';
import { BUILD_FACTS, BuildFactsReader } from './ledger/build-facts.reader';
import { LedgerGrpcController } from './ledger/ledger-grpc.controller';
import { LedgerCommands } from './ledger/ledger.commands';
import { LedgerQueries } from './ledger/ledger.queries';
import { LedgerReadModelConsumer } from './ledger/ledger.read-model.consumer';
import { PaymentScheduleConsumer } from './ledger/payment-schedule.consumer';

/**
 * Everything the build-ledger service registers, in one place. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) is provided globally by
 * bootstrapGrpcService; EventSourcedServiceModule adds the event store (schema build_ledger),
 * the relay to its topics, the migrations and the worker on task queue build-ledger.
 *
 * Consumer groups (`<schema>.<purpose>`): user-directory (crm.organization.v1 → tenant_members),
 * read-model (ledger.build.v1, ledger.catalog.v1 → catalog_items, builds, change orders, snapshots),
 * ledger-read-model (ledger.build-ledger.v1 → ledger_views, ledger_invoices, ledger_payments, ledger_journal_lines),
 * payment-schedules (ledger.build.v1: booking, event date, approved total → ReplanPaymentSchedule on the build's ledger).
 */
@Module({
  imports: [
    EventSourcedServiceModule.forRoot(BUILD_LEDGER_SERVICE_OPTIONS),
  ],
  controllers: [BuildsGrpcController, LedgerGrpcController],
  providers: [
    // Who may call: crm's users as its organization events tell them.
    ...tenantDirectoryProviders(crmOrganizationEventsV1.CRM_MEMBERSHIP_SOURCE_V1),
    // The catalog and builds: commands, queries, their read model.
    CatalogCommands,
    CatalogQueries,
    BuildCommands,
    BuildQueries,
    BuildReadModelConsumer,
    // The ledger: invoices, payments, expenses, schedules and the journal (build facts read from the build's stream).
    { provide: BUILD_FACTS, useClass: BuildFactsReader },
    LedgerCommands,
    LedgerQueries,
    LedgerReadModelConsumer,
    PaymentScheduleConsumer,
  ],
})
export class BuildLedgerAppModule {}
