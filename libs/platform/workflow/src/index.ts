export * from './index.workflow';
export * from './replay-histories';
export * from './start-once';
export * from './temporal-connection';
export * from './temporal-test-environment';
export * from './workflow-bundler';
export * from './workflow-worker';
