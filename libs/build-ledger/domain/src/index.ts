// Pure deciders of the build-ledger context: money, catalog, builds and change orders, the ledger.
export * from './money/money';
export * from './ledger';
