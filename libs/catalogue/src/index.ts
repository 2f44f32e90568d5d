export * from './catalogue.types.js';
