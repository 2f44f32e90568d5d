export * from './domain-error.js';
export * from './embedded-database.js';
export * from './embedded-server-file.js';
export * from './migrate.js';
export * from './scoped-db.js';
export * from './snake-naming.strategy.js';
export * from './typeorm-options.js';
export * from './keyset-cursor.js';
