export * from './access-log.types.js';
export * from './access-log.service.js';
export * from './access-log.module.js';
export * from './access-log-key.js';
export * from './access-log-sealer.js';
export * from './access-log-verify.js';
