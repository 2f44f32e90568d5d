import type { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  // Milliseconds to wait for a pool connection (and for a new one to connect); then pg fails the query, which the
  // HTTP filter answers with 503, rather than a request hanging on an exhausted pool.
  poolTimeoutMs?: number;
  logQueries?: boolean;
  // Work as this database role (SET ROLE at connect): the app runs as a non-owner so row-level security applies.
  role?: string;
  // The schema's migrations, for the DataSource that runs them. The app passes them in (a lib never imports
  // migrations/); connections that only query leave them out.
  migrations?: DataSourceOptions['migrations'];
}

// The ONE TypeORM options factory (style.md §9): used by the Nest app, the CLI and the tests.
// Schema changes only through migrations: never synchronize, never migrationsRun behind our back.
export function typeormOptions(db: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: db.url,
    namingStrategy: new SnakeNamingStrategy(),
    migrations: db.migrations ?? [],
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    // Query errors reach the HTTP filter; logging them here would print parameters (personal data).
    logging: db.logQueries ? ['query', 'error'] : false,
    extra: {
      max: db.poolSize ?? 10,
      // 0: wait as long as it takes (a command's own small pool); the app sets a limit.
      connectionTimeoutMillis: db.poolTimeoutMs ?? 0,
      application_name: 'cyberflag',
      ...(db.role ? { options: `-c role=${db.role}` } : {}),
    },
  };
}
