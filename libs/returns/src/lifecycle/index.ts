export * from './lifecycle.types.js';
export * from './state-machine.js';
export * from './table-diff.js';
export * from './return-access.js';
export * from './return-lifecycle.service.js';
export * from './return-revisions.service.js';
export * from './return-export.service.js';
export * from './year-tracker.service.js';
export * from './returns-lifecycle.module.js';
export {
  exportDocument,
  exportTables,
  publishedTableB,
  EXPORT_SCHEMA_ID,
  EXPORT_TABLE_KEYS,
  type ReturnExportDocument,
  type ExportTable,
} from './export/export-document.js';
export * from './return-actions.js';
