// What workflow code (inside the Temporal bundle) sees of core: everything but the test-only
// decider specification, which needs node:assert and so cannot enter the workflow sandbox.
// The workflow bundler (libs/platform/workflow) resolves `@projectflo/platform/core` to this file.
export * from './clock';
export * from './command-handler';
export * from './decider';
export * from './errors';
export * from './event-store.port';
export * from './events';
export * from './ids';
export * from './infrastructure-outage';
export * from './violations';
