export * from './import-jobs.js';
export * from './import.service.js';
export * from './imports.module.js';
export * from './import-reports.js';
