// Test support for the return integration tests: writes crimes and crime_history rows straight
// into PostgreSQL (as crime-schema.int-spec.ts does), so each test states its dataset exactly,
// timestamps and versions included. Not for production use.
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
  const removed = status === 'cancelled' || status === 'transferred';
  const row: Record<string, unknown> = {
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
    domestic_abuse: false,
    hate_strands: [],
    child_sexual_exploitation: false,
    child_sexual_abuse: false,
    status,
    rule_warnings: c.warnings ?? [],
    acknowledged_rules: c.acknowledged ?? [],
    cancellation_category: removed ? (c.category ?? 'C2') : null,
    cancellation_justification: removed
      ? 'Additional verifiable information recorded for the test.'
      : null,
    cancelled_at: removed ? c.recordedAt : null,
    cancelled_by: removed ? 'fcr.test' : null,
    transferred_to_force_id: status === 'transferred' ? (c.transferredTo ?? null) : null,
    version: c.version ?? 1,
    created_by: 'test',
    updated_by: 'test',
    updated_at: c.updatedAt ?? '2016-04-10T08:00:00Z',
    ...(c.importId ? { import_id: c.importId } : {}),
    ...(c.createdAt ? { created_at: c.createdAt } : {}),
  };
  const cols = Object.keys(row);
  const rows = await db.query<{ id: string }>(
    `INSERT INTO crimes (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    Object.values(row),
  );
  return rows[0].id;
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
