// The one thing the return queries need from a database connection. A TypeORM DataSource or
// EntityManager fits as it is; a pg Client or Pool fits through pgQueryable().
// Run a whole return on ONE connection inside a REPEATABLE READ transaction when the tables must
// agree with each other (a snapshot): on a pool, each query sees its own moment.
export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

// Structural, so this lib does not depend on pg: anything with pg's query(sql, params) → { rows }.
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

// The parameters every return query takes. year is the start year: 2015 = '2015-16'.
export interface ForceYear {
  forceId: string;
  year: number;
}
