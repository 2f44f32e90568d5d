// Test support (`#libs/auditing/testing`): database seeders for auditing specs and the auditor's browser test.
// Never imported by production code, and left out of the production build.
export * from './seed-crimes.js';
