export * from './rule.js';
export * from './financial-year.js';
export * from './uk-time.js';
export * from './rules-config.js';
export * from './registry.js';
export { MIN_JUSTIFICATION_CHARS } from './rules/cancellation-reason.rule.js';
export * from './recording-rules.module.js';
