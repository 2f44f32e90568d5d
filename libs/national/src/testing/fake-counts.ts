// Test support: force tables without a database, built through the same fold as the live aggregation
// from hand-written cube rows (force, code, status, flag, table-B age and sex, count).
import { Catalogue } from '#libs/catalogue';
import type { LiveCubeRow } from '../live/live-cube.query.js';
import { liveForceCounts } from '../live/live-counts.js';
import type { ForceCounts } from '../national.types.js';

export interface FakeRow {
  code: string;
  flag?: 'yes' | 'no';
  n: number;
  age?: number | null; // table B age (child sexual offences only); null = unknown
  sex?: 'female' | 'male' | 'unknown';
  status?: LiveCubeRow['status'];
}

export function cubeRows(forceId: string, rows: readonly FakeRow[]): LiveCubeRow[] {
  return rows.map((r) => ({
    force_id: forceId,
    offence_code: r.code,
    status: r.status ?? 'confirmed',
    online_flag: r.flag ?? 'yes',
    b_age: r.age === undefined ? null : r.age === null ? -1 : r.age,
    b_sex: r.age === undefined ? null : (r.sex ?? 'female'),
    category: r.status === 'cancelled' ? 'C2' : null,
    warnings: [],
    n: r.n,
    within_24h: r.n,
    unknown_age: 0,
    unknown_sex: 0,
    version_sum: r.n,
    max_updated_at: '2021-04-10T08:00:00.000000Z',
  }));
}

export function fakeForces(
  data: Record<string, readonly FakeRow[]>,
  catalogue = new Catalogue(),
): ForceCounts[] {
  const ids = Object.keys(data);
  return liveForceCounts(
    catalogue,
    ids,
    ids.flatMap((id) => cubeRows(id, data[id]!)),
    [],
  );
}

// Offence × age of the table-B rows, as the publication reads it from the records.
export function fakeOffenceAges(
  data: Record<string, readonly FakeRow[]>,
): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const rows of Object.values(data)) {
    for (const r of rows) {
      if (
        r.age === undefined ||
        (r.status ?? 'confirmed') !== 'confirmed' ||
        (r.flag ?? 'yes') !== 'yes'
      )
        continue;
      const m = out.get(r.code) ?? new Map<number, number>();
      const age = r.age === null ? -1 : r.age;
      m.set(age, (m.get(age) ?? 0) + r.n);
      out.set(r.code, m);
    }
  }
  return out;
}
