export * from './catalogue.types.js';
export * from './catalogue.js';
export * from './catalogue.module.js';
export * from './catalogue-sync.js';
