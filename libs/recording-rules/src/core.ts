// The rules engine without its Nest module: what the import's parse worker loads (`#libs/recording-rules/core`),
// so that a worker thread does not load NestJS and TypeORM to check rows (~0.3 s of its start-up).
export * from './rule.js';
export * from './financial-year.js';
export * from './uk-time.js';
export * from './rules-config.js';
export * from './counting-rules-edition.js';
export * from './registry.js';
export { MIN_JUSTIFICATION_CHARS } from './rules/cancellation-reason.rule.js';
export * from './rule-fields.js';
