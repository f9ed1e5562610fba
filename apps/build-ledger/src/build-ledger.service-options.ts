import { join } from 'node:path';
import { BUILD_TOPICS, LEDGER_TOPICS } from '@projectflo/build-ledger/domain';
import { crmOrganizationEventsV1 } from '@projectflo/contracts';
import type { EventSourcedServiceOptions } from '@projectflo/platform/service';
import { LEDGER_ENTITIES } from './ledger/ledger.entities';
import { buildReadModelEntities } from './read-model/build-ledger-read-model';

/** What makes the build-ledger service: its schema, the topics it publishes (builds, catalogs), what its consumers read, its migrations and its worker. */
export const BUILD_LEDGER_SERVICE_OPTIONS: EventSourcedServiceOptions = {
  service: 'build-ledger',
  schema: 'build_ledger',
  topics: { ...BUILD_TOPICS, ...LEDGER_TOPICS },
  extraTopics: [crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1],
  consumes: {
    'user-directory': [crmOrganizationEventsV1.CRM_MEMBERSHIP_SOURCE_V1.topic],
    'read-model': Object.values(BUILD_TOPICS),
    'ledger-read-model': Object.values(LEDGER_TOPICS),
    'payment-schedules': [BUILD_TOPICS.build],
  },
  entities: [...buildReadModelEntities, ...LEDGER_ENTITIES],
  migrationsPath: join(__dirname, 'migrations'),
  worker: { taskQueue: 'build-ledger' },
};
