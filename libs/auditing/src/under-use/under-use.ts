// Under-use detection, pure part (issue 7 §2): each force-group rate against the rest of England and Wales.
import {
  compareWithRestOfCountry,
  describeOnlineFlagRate,
  type RateCounts,
} from '#libs/audit-stats';
import type { ForceFlagRateRow, NationalFlagRateRow } from './under-use.query.js';

export interface UnderUseRow {
  forceId: string;
  group: string;
  flagged: number;
  total: number;
  rate: number;
  rest: { flagged: number; total: number; rate: number | null };
  nationalRate: number;
  z: number | null; // null when the rest of the country has no records in the group
  pValue: number | null;
  reading: string;
  ranked: boolean; // enough records on both sides to rank (see AuditingConfig.underUseMinRecords)
}

export interface UnderUseThresholds {
  minRecords: number;
  zThreshold: number;
}

export function underUseRows(
  forces: readonly ForceFlagRateRow[],
  national: readonly NationalFlagRateRow[],
  t: UnderUseThresholds,
): UnderUseRow[] {
  const byGroup = new Map(
    national.map((n) => [
      n.group_name,
      { flagged: n.flagged, total: n.total } satisfies RateCounts,
    ]),
  );
  return forces.map((f) => {
    const nat = byGroup.get(f.group_name);
    // The national totals include this force's records: a missing or smaller total is a bug, not data.
    if (!nat) throw new Error(`no national total for ${f.group_name}`);
    const own = { flagged: f.flagged, total: f.total };
    const cmp = compareWithRestOfCountry(own, nat);
    const rest = { flagged: nat.flagged - f.flagged, total: nat.total - f.total };
    const rate = f.flagged / f.total;
    const nationalRate = nat.flagged / nat.total;
    return {
      forceId: f.force_id,
      group: f.group_name,
      flagged: f.flagged,
      total: f.total,
      rate,
      rest: { ...rest, rate: rest.total === 0 ? null : rest.flagged / rest.total },
      nationalRate,
      z: cmp?.z ?? null,
      pValue: cmp?.pValue ?? null,
      reading: describeOnlineFlagRate(f.group_name, rate, nationalRate),
      ranked: cmp !== null && f.total >= t.minRecords && rest.total >= t.minRecords,
    };
  });
}

// Why a row is not ranked (null when it is): read on the auditor's page and in the CSV export.
export function notRankedBecause(r: UnderUseRow, t: UnderUseThresholds): string | null {
  if (r.ranked) return null;
  return r.z === null
    ? 'no records in the rest of England and Wales'
    : `fewer than ${t.minRecords} records`;
}

// Outliers: ranked rows whose z is at or below the threshold, most negative first (ties: force, group).
export function underUseOutliers(
  rows: readonly UnderUseRow[],
  t: UnderUseThresholds,
): UnderUseRow[] {
  return rows
    .filter((r) => r.ranked && r.z !== null && r.z <= t.zThreshold)
    .sort((a, b) => (a.z ?? 0) - (b.z ?? 0) || cmp(a.forceId, b.forceId) || cmp(a.group, b.group));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
