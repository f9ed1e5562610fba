export * from './command-executor';
export * from './diagnostics.activities';
export * from './event-sourced-service.module';
export * from './service-host';
export * from './service-options';
export * from './tokens';
