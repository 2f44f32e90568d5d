export * from './access-log.types.js';
export * from './access-log.service.js';
export * from './access-log.module.js';
