import { join } from 'node:path';
import { crmRelayRoutes, crmTopics } from '@projectflo/crm/domain';
import type { EventSourcedServiceOptions } from '@projectflo/platform/service';
import { crmEntities } from './read-model/crm-read-model';

/** What makes crm: its schema, the topics it publishes and reads back into its read model, its migrations and its worker. */
export const CRM_SERVICE_OPTIONS: EventSourcedServiceOptions = {
  service: 'crm',
  schema: 'crm',
  topics: crmRelayRoutes,
  consumes: { 'read-model': Object.values(crmTopics) },
  entities: crmEntities,
  migrationsPath: join(__dirname, 'migrations'),
  worker: { taskQueue: 'crm' },
};
