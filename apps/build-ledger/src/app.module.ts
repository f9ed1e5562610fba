import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { EventSourcedServiceModule } from '@projectflo/platform/service';
import { BuildLedgerGrpcController } from './build-ledger-grpc.controller';
import { BUILD_LEDGER_ENTITIES } from './builds/build.entities';
import { BUILD_AGGREGATE, BuildQueries } from './builds/build.queries';

/**
 * Everything the build-ledger service registers, in one place. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) is provided globally by
 * bootstrapGrpcService; EventSourcedServiceModule adds the event store (schema build_ledger),
 * the relay to its topics, the migrated read model and the worker on task queue build-ledger.
 */
@Module({
  imports: [
    EventSourcedServiceModule.forRoot({
      service: 'build-ledger',
      schema: 'build_ledger',
      topics: { [BUILD_AGGREGATE]: 'ledger.build.v1' },
      entities: BUILD_LEDGER_ENTITIES,
      migrationsPath: join(__dirname, 'migrations'),
      worker: { taskQueue: 'build-ledger' },
    }),
  ],
  controllers: [BuildLedgerGrpcController],
  providers: [BuildQueries],
})
export class BuildLedgerAppModule {}
