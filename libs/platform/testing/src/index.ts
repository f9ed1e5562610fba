// Helpers for integration and end-to-end tests (and benches): never imported by production code.
export * from './eventually';
export * from './failed-call';
export * from './free-port';
export * from './kafka-credentials';
export * from './tcp-proxy';
export * from './test-topics';
export * from './test-issuer';
export * from './relayed-event';
export * from './held-reads';
