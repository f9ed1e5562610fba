// What workflow code (inside the Temporal bundle) sees of this library: the bundler resolves
// `@projectflo/platform/workflow` to this file, because the full index pulls in @temporalio/client
// and @temporalio/worker, which are not allowed in the deterministic sandbox.
export * from './ops-signals';
export * from './search-attributes';
export * from './workflow-ids';
