import { join } from 'node:path';
import type { EventSourcedServiceOptions } from '@projectflo/platform/service';

/** What makes the scheduling service: its schema, the topics it publishes (it consumes none yet), its migrations and its worker. */
export const SCHEDULING_SERVICE_OPTIONS: EventSourcedServiceOptions = {
  service: 'scheduling',
  schema: 'scheduling',
  topics: { reminder: 'scheduling.reminder.v1' },
  entities: [],
  migrationsPath: join(__dirname, 'migrations'),
  worker: { taskQueue: 'scheduling' },
};
