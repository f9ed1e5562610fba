import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { EventSourcedServiceModule } from '@projectflo/platform/service';

/**
 * Everything the build-ledger service registers, in one place. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) is provided globally by
 * bootstrapGrpcService; EventSourcedServiceModule adds the event store (schema build_ledger),
 * the relay to its topics, the migrations and the worker on task queue build-ledger. No commands,
 * queries or read model yet: the builds' own issue adds them.
 */
@Module({
  imports: [
    EventSourcedServiceModule.forRoot({
      service: 'build-ledger',
      schema: 'build_ledger',
      topics: { build: 'ledger.build.v1' },
      entities: [],
      migrationsPath: join(__dirname, 'migrations'),
      worker: { taskQueue: 'build-ledger' },
    }),
  ],
})
export class BuildLedgerAppModule {}
