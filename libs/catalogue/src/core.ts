// The catalogue without its Nest module and database sync: what the import's parse worker loads
// (`#libs/catalogue/core`), so that a worker thread does not load NestJS and TypeORM.
export * from './catalogue.types.js';
export * from './catalogue.js';
