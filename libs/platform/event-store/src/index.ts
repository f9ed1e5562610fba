export * from './append-rules';
export * from './database-scope';
export * from './eventstoredb-event-store';
export * from './in-memory-event-store';
export * from './pg-pool';
export * from './polling-subscription';
export * from './postgres-event-store';
export * from './postgres-event-store.schema';
