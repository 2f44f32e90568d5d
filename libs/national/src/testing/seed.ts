// Test support: writes crimes and accepted returns straight into PostgreSQL as the schema owner, so a test
// states its dataset exactly (as libs/returns' int tests do). Not for production use.
import { canonicalJson, computeReturn, sha256Hex, type ForceReturnTables } from '#libs/returns';
import type { Queryable } from '#libs/persistence';
import { insertCrimeRows, removal, type CrimeRow } from '#libs/crimes/testing';

export interface Rec {
  code: string;
  flag: 'yes' | 'no' | 'unknown';
  age: number | null;
  sex?: 'female' | 'male' | 'unknown'; // default female
  status?: 'draft' | 'confirmed' | 'cancelled' | 'transferred'; // default confirmed
  category?: string;
  warnings?: string[];
  lateHours?: number; // hours between report and recording (default 1)
  day?: string; // recorded date, default 15 October of the year
  times?: number; // this many identical records (default 1)
}

let sequence = 0;

export async function insertRecords(
  db: Queryable,
  force: string,
  year: number,
  recs: readonly Rec[],
): Promise<string[]> {
  const rows: CrimeRow[] = [];
  for (const r of recs) {
    for (let i = 0; i < (r.times ?? 1); i++) {
      const recorded = new Date(`${r.day ?? `${year}-10-15`}T12:00:00Z`);
      const reported = new Date(recorded.getTime() - (r.lateHours ?? 1) * 3_600_000);
      const status = r.status ?? 'confirmed';
      rows.push({
        force_id: force,
        crime_reference: `NAT/${year}/${++sequence}/${process.pid}`,
        offence_code: r.code,
        reported_at: reported.toISOString(),
        recorded_at: recorded.toISOString(),
        offence_from: new Date(reported.getTime() - 86_400_000).toISOString(),
        online_flag: r.flag,
        online_method: r.flag === 'yes' ? 'messages via a social media app' : null,
        victim_age: r.age,
        victim_sex: r.sex ?? 'female',
        status,
        rule_warnings: r.warnings ?? [],
        ...removal(status, recorded.toISOString(), r.category ?? 'C2', 'btp'),
        updated_at: `${year + 1}-04-10T08:00:00Z`,
      });
    }
  }
  return insertCrimeRows(db, rows);
}

// A return at `state` whose current revision is the force's return computed now from its records.
export async function seedReturn(
  db: Queryable,
  force: string,
  year: number,
  state: 'submitted' | 'accepted' | 'returned' | 'draft' = 'accepted',
): Promise<ForceReturnTables> {
  const tables = await computeReturn(db, {
    forceId: force,
    year,
    countingRulesVersion: 'test',
    generatedAt: new Date(`${year + 1}-05-01T00:00:00Z`),
  });
  const revision = state === 'draft' ? 0 : 1;
  await db.query(
    `INSERT INTO force_returns (force_id, financial_year, state, current_revision, updated_by) VALUES ($1, $2, $3, $4, 'test')`,
    [force, year, state, revision],
  );
  if (revision === 1) {
    await db.query(
      `INSERT INTO return_revisions (force_id, financial_year, revision, tables, sha256, high_water, submitted_by, signed_off_name)
       VALUES ($1, $2, 1, $3, $4, $5, 'test', 'Test FCR')`,
      [
        force,
        year,
        JSON.stringify(tables),
        sha256Hex(canonicalJson(tables)),
        JSON.stringify(tables.metadata.source),
      ],
    );
  }
  return tables;
}
