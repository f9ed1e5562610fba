export * from './clock';
export * from './command-handler';
export * from './decider';
export * from './decider-specification';
export * from './errors';
export * from './event-store.port';
export * from './events';
export * from './ids';
