export * from './core.js';
export * from './catalogue.module.js';
export * from './catalogue-sync.js';
