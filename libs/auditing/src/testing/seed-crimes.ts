// Test support for the auditing integration tests: writes crimes and history straight into PostgreSQL
// (as the owner, bypassing RLS), so each test states its dataset exactly. Not for production use.
import type { Queryable } from '#libs/persistence';

export interface CrimeBatch {
  force: string;
  ref: string; // prefix; records are <ref>-1 .. <ref>-<count>
  code: string;
  recordedAt: string; // ISO instant
  flag: 'yes' | 'no' | 'unknown';
  count?: number; // default 1
  age?: number | null; // default 30
  ageKnown?: number; // only the first n get the age; the rest null (default: all)
  status?: 'draft' | 'confirmed' | 'cancelled';
  warnings?: string[];
  method?: string | null; // default: a method when flag is yes
  sex?: 'female' | 'male' | 'unknown';
}

export async function insertCrimes(db: Queryable, b: CrimeBatch): Promise<string[]> {
  const count = b.count ?? 1;
  const status = b.status ?? 'confirmed';
  const cancelled = status === 'cancelled';
  const method =
    b.method !== undefined
      ? b.method
      : b.flag === 'yes'
        ? 'messages through a social media app'
        : null;
  const rows = await db.query<{ id: string }>(
    `INSERT INTO crimes (force_id, crime_reference, offence_code, reported_at, recorded_at, offence_from, online_flag, online_method,
       victim_age, victim_sex, domestic_abuse, hate_strands, child_sexual_exploitation, child_sexual_abuse, status, rule_warnings,
       cancellation_category, cancellation_justification, cancelled_at, cancelled_by, created_by, updated_by)
     SELECT $1, $2 || '-' || i, $3, $4::timestamptz - interval '1 hour', $4::timestamptz, $4::timestamptz - interval '2 days', $5, $6,
       CASE WHEN i <= $8 THEN $7::smallint END, $9, false, '{}', false, false, $10, $11::text[],
       CASE WHEN $12 THEN 'C2' END, CASE WHEN $12 THEN 'Additional verifiable information recorded for the test.' END,
       CASE WHEN $12 THEN $4::timestamptz END, CASE WHEN $12 THEN 'fcr.test' END, 'test', 'test'
     FROM generate_series(1, $13::int) AS i
     ORDER BY i
     RETURNING id`,
    [
      b.force,
      b.ref,
      b.code,
      b.recordedAt,
      b.flag,
      method,
      b.age === undefined ? 30 : b.age,
      b.ageKnown ?? count,
      b.sex ?? 'female',
      status,
      b.warnings ?? [],
      cancelled,
      count,
    ],
  );
  return rows.map((r) => r.id);
}

export async function insertFlagChange(
  db: Queryable,
  h: {
    force: string;
    crimeId: string;
    version: number;
    from: string;
    to: string;
    changedAt: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO crime_history (force_id, crime_id, version, action, reason, changes, changed_at, changed_by)
     VALUES ($1, $2, $3, 'amended', 'test', $4, $5, 'test')`,
    [
      h.force,
      h.crimeId,
      h.version,
      JSON.stringify({ onlineFlag: { old: h.from, new: h.to } }),
      h.changedAt,
    ],
  );
}
