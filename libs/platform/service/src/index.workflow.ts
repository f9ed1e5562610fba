// What workflow code may import from this lib (the bundler prefers this file over index.ts):
// the diagnostics workflow, for an app's workflows module to re-export beside its own.
export * from './diagnostics.workflows';
