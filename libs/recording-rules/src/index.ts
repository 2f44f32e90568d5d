export * from './core.js';
export * from './recording-rules.module.js';
export * from './flag-year.js';
