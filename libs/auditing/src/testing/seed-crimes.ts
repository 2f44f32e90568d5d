// Test support for the auditing integration tests: writes crimes (through the crimes lib's row factory) and
// history straight into PostgreSQL (as the owner, bypassing RLS), so each test states its dataset exactly.
// Not for production use.
import { insertCrimeRows, removal } from '#libs/crimes/testing';
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
  const method =
    b.method !== undefined
      ? b.method
      : b.flag === 'yes'
        ? 'messages through a social media app'
        : null;
  const at = new Date(b.recordedAt).getTime();
  const iso = (ms: number) => new Date(at + ms).toISOString();
  return insertCrimeRows(
    db,
    Array.from({ length: count }, (_, n) => ({
      force_id: b.force,
      crime_reference: `${b.ref}-${n + 1}`,
      offence_code: b.code,
      reported_at: iso(-3_600_000),
      recorded_at: b.recordedAt,
      offence_from: iso(-2 * 86_400_000),
      online_flag: b.flag,
      online_method: method,
      victim_age: n < (b.ageKnown ?? count) ? (b.age === undefined ? 30 : b.age) : null,
      victim_sex: b.sex ?? 'female',
      status,
      rule_warnings: b.warnings ?? [],
      ...removal(status, b.recordedAt),
    })),
  );
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
