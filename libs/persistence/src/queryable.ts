// The one thing a query needs from a database connection. A TypeORM DataSource or EntityManager fits
// as it is; a pg Client or Pool fits through pgQueryable(). Run queries that must agree with each other
// on ONE connection inside a REPEATABLE READ transaction (ScopedDb.run with isolation): on a pool, each
// query sees its own moment.
export interface Queryable {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T[]>;
}

// Structural, so callers need not depend on pg: anything with pg's query(sql, params) → { rows }.
export interface PgLikeClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export function pgQueryable(client: PgLikeClient): Queryable {
  return {
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      const result = await client.query(sql, params);
      return result.rows as T[];
    },
  };
}
