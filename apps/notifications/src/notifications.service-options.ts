import { join } from 'node:path';
import type { EventSourcedServiceOptions } from '@projectflo/platform/service';

/** What makes the notifications service: its schema, the topics it publishes (it consumes none yet), its migrations and its worker. */
export const NOTIFICATIONS_SERVICE_OPTIONS: EventSourcedServiceOptions = {
  service: 'notifications',
  schema: 'notifications',
  topics: { notification: 'notifications.notification.v1' },
  entities: [],
  migrationsPath: join(__dirname, 'migrations'),
  worker: { taskQueue: 'notifications' },
};
