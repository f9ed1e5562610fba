export * from './command-executor';
export * from './consistency-wait';
export * from './consumer-factory';
export * from './diagnostics.activities';
export * from './event-sourced-service.module';
export * from './kafka-acls';
export * from './service-host';
export * from './service-database';
export * from './service-options';
export * from './service-supervisor';
export * from './startup-retry';
export * from './tokens';
// The workflow itself too, so an app's workflows module can re-export it (the bundler then takes
// index.workflow.ts, which holds only workflow code).
export * from './diagnostics.workflows';
export * from './tenant-directory';
export * from './workflow-requests';
