import { join } from 'node:path';
import type { EventSourcedServiceOptions } from '@projectflo/platform/service';

/** What makes the build-ledger service: its schema, the topics it publishes (it consumes none yet), its migrations and its worker. */
export const BUILD_LEDGER_SERVICE_OPTIONS: EventSourcedServiceOptions = {
  service: 'build-ledger',
  schema: 'build_ledger',
  topics: { build: 'ledger.build.v1' },
  entities: [],
  migrationsPath: join(__dirname, 'migrations'),
  worker: { taskQueue: 'build-ledger' },
};
