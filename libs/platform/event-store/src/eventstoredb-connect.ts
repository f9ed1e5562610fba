import type { EventStore } from '@projectflo/platform/core';

/**
 * EventStoreDB as a service's event store (EVENTSTORE_URL). Its client library (about 6 MB of
 * code, gRPC stubs included) is loaded here, when a service is configured for it, and not by every
 * service that imports the event-store library and runs on the embedded Postgres store.
 */
export function connectEventStoreDb(connectionString: string): EventStore & { close(): Promise<void> } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EventStoreDbEventStore } = require('./eventstoredb-event-store') as typeof import('./eventstoredb-event-store');
  return EventStoreDbEventStore.connect(connectionString);
}
