import { Module } from '@nestjs/common';
import { EventSourcedServiceModule } from '@projectflo/platform/service';
import { BUILD_LEDGER_SERVICE_OPTIONS } from './build-ledger.service-options';

/**
 * Everything the build-ledger service registers, in one place. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) is provided globally by
 * bootstrapGrpcService; EventSourcedServiceModule adds the event store (schema build_ledger),
 * the relay to its topics, the migrations and the worker on task queue build-ledger. No commands,
 * queries or read model yet: the builds' own issue adds them.
 */
@Module({
  imports: [
    EventSourcedServiceModule.forRoot(BUILD_LEDGER_SERVICE_OPTIONS),
  ],
})
export class BuildLedgerAppModule {}
