export * from './core.js';
export * from './recording-rules.module.js';
