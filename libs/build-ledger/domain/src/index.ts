// Pure deciders of the build-ledger context: money, catalog, builds and change orders, the ledger.
export * from './money/money';
export * from './ledger';
export * from './catalog/catalog.events';
export * from './catalog/catalog.commands';
export * from './catalog/catalog.decider';
export * from './build/build.events';
export * from './build/build.commands';
export * from './build/build.pricing';
export * from './build/build.decider';
export * from './build/build.streams';
