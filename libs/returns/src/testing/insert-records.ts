// Test support for the return integration tests: writes crimes (through the crimes lib's row factory) and
// crime_history rows straight into PostgreSQL, so each test states its dataset exactly,
// timestamps and versions included. Not for production use.
import { insertCrimeRow, removal } from '#libs/crimes/testing';
import type { Queryable } from '#libs/persistence';

export interface CrimeInput {
  force: string;
  ref: string;
  code: string;
  recordedAt: string; // ISO instant
  flag: 'yes' | 'no' | 'unknown';
  age: number | null;
  sex: 'female' | 'male' | 'unknown';
  reportedAt?: string; // default: one hour before recordedAt
  status?: 'draft' | 'confirmed' | 'cancelled' | 'transferred'; // default 'confirmed'
  category?: string; // cancellation category, for cancelled/transferred
  transferredTo?: string;
  warnings?: string[];
  acknowledged?: string[];
  version?: number;
  updatedAt?: string; // default 2016-04-10T08:00:00Z, so high-water marks are predictable
  importId?: string; // as a bulk import creates it (crimes.import_id is fixed from then on)
  createdAt?: string; // default now()
}

export async function insertCrime(db: Queryable, c: CrimeInput): Promise<string> {
  const recorded = new Date(c.recordedAt);
  const reported = c.reportedAt ?? new Date(recorded.getTime() - 3_600_000).toISOString();
  const offenceFrom = new Date(new Date(reported).getTime() - 2 * 86_400_000).toISOString();
  const status = c.status ?? 'confirmed';
  return insertCrimeRow(db, {
    force_id: c.force,
    crime_reference: c.ref,
    offence_code: c.code,
    reported_at: reported,
    recorded_at: c.recordedAt,
    offence_from: offenceFrom,
    online_flag: c.flag,
    online_method: c.flag === 'yes' ? 'messages via a social media app' : null,
    victim_age: c.age,
    victim_sex: c.sex,
    status,
    rule_warnings: c.warnings ?? [],
    acknowledged_rules: c.acknowledged ?? [],
    ...removal(status, c.recordedAt, c.category ?? 'C2', c.transferredTo ?? null),
    version: c.version ?? 1,
    updated_at: c.updatedAt ?? '2016-04-10T08:00:00Z',
    ...(c.importId ? { import_id: c.importId } : {}),
    ...(c.createdAt ? { created_at: c.createdAt } : {}),
  });
}

export interface HistoryInput {
  force: string;
  crimeId: string;
  version: number;
  action: 'created' | 'amended' | 'reclassified' | 'confirmed' | 'cancelled' | 'transferred';
  changes: Record<string, { old: unknown; new: unknown }>;
  changedAt: string;
}

export async function insertHistory(db: Queryable, h: HistoryInput): Promise<void> {
  await db.query(
    `INSERT INTO crime_history (force_id, crime_id, version, action, reason, changes, changed_at, changed_by)
     VALUES ($1, $2, $3, $4, 'test', $5, $6, 'test')`,
    [h.force, h.crimeId, h.version, h.action, JSON.stringify(h.changes), h.changedAt],
  );
}
