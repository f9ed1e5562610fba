export * from './build-facts';
export * from './journal';
export * from './ledger.events';
export * from './ledger.commands';
export * from './ledger.decider';
export * from './invoice-numbering.decider';
export * from './payment-reference.decider';
export * from './streams';
