import { Module } from '@nestjs/common';
import { USER_DIRECTORY } from '@projectflo/platform/auth';
import { EventSourcedServiceModule } from '@projectflo/platform/service';
import { ContactCommands } from './contact/contact.commands';
import { ContactQueries } from './contact/contact.queries';
import { CRM_SERVICE_OPTIONS } from './crm.service-options';
import { CrmGrpcController } from './crm-grpc.controller';
import { LeadPipelineCommands } from './lead-pipeline/lead-pipeline.commands';
import { LeadPipelineQueries } from './lead-pipeline/lead-pipeline.queries';
import { LeadCommands } from './lead/lead.commands';
import { LeadQueries } from './lead/lead.queries';
import { OrganizationCommands } from './organization/organization.commands';
import { CrmUserDirectory } from './organization/organization.directory';
import { OrganizationQueries } from './organization/organization.queries';
import { ReadModelConsumer } from './read-model/read-model.consumer';

/**
 * Everything the crm service registers, in one place: its infrastructure (event store, read
 * model, Kafka relay and consumers, through EventSourcedServiceModule), the gRPC controller, the
 * command and query services it calls, and the read-model consumer. The runtime (LOGGER, CLOCK,
 * SERVICE_CONFIG, GrpcHealth, the gRPC exception filter) comes from bootstrapGrpcService.
 */
@Module({
  imports: [
    EventSourcedServiceModule.forRoot(CRM_SERVICE_OPTIONS),
  ],
  controllers: [CrmGrpcController],
  providers: [
    OrganizationCommands,
    OrganizationQueries,
    { provide: USER_DIRECTORY, useClass: CrmUserDirectory },
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
