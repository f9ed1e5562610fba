export * from './append-rules';
export * from './database-scope';
// EventStoreDbEventStore itself is not re-exported: connectEventStoreDb loads its client library on demand.
export * from './eventstoredb-connect';
export * from './in-memory-event-store';
export * from './pg-pool';
export * from './polling-subscription';
export * from './postgres-event-store';
export * from './postgres-event-store.schema';
