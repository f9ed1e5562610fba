import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { crmRelayRoutes } from '@projectflo/crm/domain';
import { EventSourcedServiceModule } from '@projectflo/platform/service';
import { ContactCommands } from './contact/contact.commands';
import { ContactQueries } from './contact/contact.queries';
import { CrmGrpcController } from './crm-grpc.controller';
import { LeadPipelineCommands } from './lead-pipeline/lead-pipeline.commands';
import { LeadPipelineQueries } from './lead-pipeline/lead-pipeline.queries';
import { LeadCommands } from './lead/lead.commands';
import { LeadQueries } from './lead/lead.queries';
import { OrganizationCommands } from './organization/organization.commands';
import { OrganizationQueries } from './organization/organization.queries';
import { crmEntities } from './read-model/crm-read-model';
import { ReadModelConsumer } from './read-model/read-model.consumer';

/**
 * Everything the crm service registers, in one place: its infrastructure (event store, read
 * model, Kafka relay and consumers, through EventSourcedServiceModule), the gRPC controller, the
 * command and query services it calls, and the read-model consumer. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) comes from bootstrapGrpcService.
 */
@Module({
  imports: [
    EventSourcedServiceModule.forRoot({
      service: 'crm',
      schema: 'crm',
      topics: crmRelayRoutes,
      entities: crmEntities,
      migrationsPath: join(__dirname, 'migrations'),
      worker: { taskQueue: 'crm' },
    }),
  ],
  controllers: [CrmGrpcController],
  providers: [
    OrganizationCommands,
    OrganizationQueries,
    ContactCommands,
    ContactQueries,
    LeadPipelineCommands,
    LeadPipelineQueries,
    LeadCommands,
    LeadQueries,
    ReadModelConsumer,
  ],
})
export class CrmAppModule {}
