// Test support: the one factory of crimes rows written straight into PostgreSQL (as the schema owner, bypassing
// the services and RLS), so a test states its dataset exactly, including records the services would refuse.
// Every seeder of the int and e2e specs goes through it (test/factories re-exports it for test/). Not for
// production use.
import { randomUUID } from 'node:crypto';

// A pg Client or Pool through pgQueryable(), a TypeORM DataSource or EntityManager as they are.
export interface RowQueryable {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

// snake_case columns of crimes; those left out take the defaults below, then the table's own defaults.
export type CrimeRow = Record<string, unknown>;

// A confirmed, offline harassment (8L) of 2 January 2019, valid under the schema's checks.
export function crimeRow(overrides: CrimeRow = {}): CrimeRow {
  return {
    force_id: 'derbyshire',
    crime_reference: `ROW-${randomUUID().slice(0, 13)}`,
    offence_code: '8L',
    reported_at: '2019-01-02T10:00:00Z',
    recorded_at: '2019-01-02T11:00:00Z',
    offence_from: '2019-01-01T10:00:00Z',
    online_flag: 'no',
    victim_sex: 'male',
    domestic_abuse: false,
    hate_strands: [],
    child_sexual_exploitation: false,
    child_sexual_abuse: false,
    status: 'confirmed',
    created_by: 'test',
    updated_by: 'test',
    ...overrides,
  };
}

// The removal fields of a cancelled or transferred record (R16, R17), empty for any other status.
export function removal(
  status: string,
  at: string,
  category = 'C2',
  toForce: string | null = null,
) {
  const removed = status === 'cancelled' || status === 'transferred';
  return {
    cancellation_category: removed ? category : null,
    cancellation_justification: removed
      ? 'Additional verifiable information recorded for the test.'
      : null,
    cancelled_at: removed ? at : null,
    cancelled_by: removed ? 'fcr.test' : null,
    transferred_to_force_id: status === 'transferred' ? toForce : null,
  };
}

const CHUNK = 1000; // rows per statement: well inside PostgreSQL's 65,535 parameters

// Inserts the rows (each completed by crimeRow) in as few statements as the parameter limit allows; the ids in
// the order given.
export async function insertCrimeRows(
  db: RowQueryable,
  rows: readonly CrimeRow[],
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK).map((r) => crimeRow(r));
    const cols = [...new Set(chunk.flatMap((r) => Object.keys(r)))];
    const params: unknown[] = [];
    const values = chunk.map(
      (r) => `(${cols.map((c) => (c in r ? `$${params.push(r[c])}` : 'DEFAULT')).join(', ')})`,
    );
    // A plain INSERT ... VALUES returns its rows in the order of the VALUES list.
    const inserted = await db.query<{ id: string }>(
      `INSERT INTO crimes (${cols.join(', ')}) VALUES ${values.join(', ')} RETURNING id`,
      params,
    );
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

export async function insertCrimeRow(db: RowQueryable, row: CrimeRow = {}): Promise<string> {
  return (await insertCrimeRows(db, [row]))[0];
}

// A pg Client, Pool or PoolClient (anything with query → { rows }) as a RowQueryable.
export function rowsOf(client: {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}): RowQueryable {
  return {
    query: async <T>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params)).rows as T[],
  };
}
