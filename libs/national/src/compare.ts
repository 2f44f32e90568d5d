// Year on year (domain.md §15): change computed only over forces whose returns are accepted in BOTH years,
// as the NSPCC's "39 forces with both periods" comparison; the forces left out are listed with the reason.
import type { Catalogue } from '#libs/catalogue';
import { aggregate } from './aggregate.js';
import { coverageText } from './coverage.js';
import { percent } from './counts.js';
import type { AreaAggregate, Coverage, CoverageRow, ForceCounts } from './national.types.js';
import type { NationalPeriod } from './period.js';

export type Measure =
  | 'recordedCrimes'
  | 'onlineFlagged'
  | 'pctFlagged'
  | 'childSexualOffences'
  | 'rapes'
  | 'underTen'
  | 'childSexualOffencesPerDay';

export interface MeasureChange {
  measure: Measure;
  base: number | null; // the other (earlier) year
  current: number | null; // the year asked for
  change: number | null; // current − base; percentage points for pctFlagged
  pctChange: number | null; // change ÷ base × 100, 1 d.p.; null for pctFlagged or a zero base
}

export interface AreaChange {
  level: AreaAggregate['level'];
  id: string;
  name: string;
  coverage: Coverage; // common forces of this area, of the forces it expected in either year
  measures: MeasureChange[];
}

export interface ComparedForce {
  forceId: string;
  forceName: string;
  regionId: string;
}

export interface YearComparison {
  metadata: {
    year: NationalPeriod;
    otherYear: NationalPeriod;
    basis: 'accepted';
    generatedAt: string;
    coverage: Coverage;
    method: string;
  };
  forcesIncluded: ComparedForce[];
  forcesExcluded: (ComparedForce & { reason: string })[];
  national: AreaChange;
  regions: AreaChange[];
  forces: AreaChange[];
}

export const COMPARISON_METHOD =
  'Change between two years over the forces whose returns are accepted in both years only; per-day figures divide by each year’s own number of days.';

function measures(a: AreaAggregate): Record<Measure, number | null> {
  const total = a.tableA.rows.at(-1)!;
  const s = a.tableB.summary;
  return {
    recordedCrimes: total.total,
    onlineFlagged: total.flagYes,
    pctFlagged: total.pctFlagged,
    childSexualOffences: s.total,
    rapes: s.rapes,
    underTen: s.underTen,
    childSexualOffencesPerDay: a.perDay.childSexualOffences,
  };
}

function change(base: AreaAggregate, current: AreaAggregate, coverage: Coverage): AreaChange {
  const b = measures(base);
  const c = measures(current);
  return {
    level: current.level,
    id: current.id,
    name: current.name,
    coverage,
    measures: (Object.keys(c) as Measure[]).map((measure) => {
      const delta =
        b[measure] === null || c[measure] === null
          ? null
          : Math.round((c[measure]! - b[measure]!) * 10) / 10;
      const pct =
        measure === 'pctFlagged' || delta === null || !b[measure]
          ? null
          : percent(delta, b[measure]!);
      return { measure, base: b[measure], current: c[measure], change: delta, pctChange: pct };
    }),
  };
}

const statusIn = (r: CoverageRow | undefined, label: string) =>
  `${label}: ${r ? (r.expected ? r.status : 'not expected') : 'not expected'}`;

export function compareYears(
  catalogue: Catalogue,
  current: {
    period: NationalPeriod;
    coverage: readonly CoverageRow[];
    counts: readonly ForceCounts[];
  },
  base: {
    period: NationalPeriod;
    coverage: readonly CoverageRow[];
    counts: readonly ForceCounts[];
  },
  generatedAt: Date,
): YearComparison {
  const cur = new Map(current.coverage.map((r) => [r.forceId, r]));
  const old = new Map(base.coverage.map((r) => [r.forceId, r]));
  const ids = [...new Set([...cur.keys(), ...old.keys()])].sort();
  const inBoth = (id: string) => Boolean(cur.get(id)?.included && old.get(id)?.included);
  const asForce = (id: string): ComparedForce => {
    const r = cur.get(id) ?? old.get(id)!;
    return { forceId: id, forceName: r.forceName, regionId: r.regionId };
  };
  const expectedEither = ids.filter((id) => cur.get(id)?.expected || old.get(id)?.expected);
  // Restrict both years to the common forces; "expected" becomes "expected in either year".
  const restrict = (rows: ReadonlyMap<string, CoverageRow>): CoverageRow[] =>
    expectedEither.map((id) => ({
      ...(rows.get(id) ?? cur.get(id) ?? old.get(id)!),
      expected: true,
      included: inBoth(id),
    }));
  const a = aggregate(
    catalogue,
    current.period,
    restrict(cur),
    current.counts.filter((c) => inBoth(c.forceId)),
  );
  const b = aggregate(
    catalogue,
    base.period,
    restrict(old),
    base.counts.filter((c) => inBoth(c.forceId)),
  );
  const common = expectedEither.filter(inBoth);
  const forces = a.forces.flatMap((f, i) =>
    f.level === 'force' && 'tableA' in f
      ? [change(b.forces[i] as AreaAggregate, f, f.coverage)]
      : [],
  );
  return {
    metadata: {
      year: current.period,
      otherYear: base.period,
      basis: 'accepted',
      generatedAt: generatedAt.toISOString(),
      coverage: coverageText(common.length, expectedEither.length),
      method: COMPARISON_METHOD,
    },
    forcesIncluded: common.map(asForce),
    forcesExcluded: expectedEither
      .filter((id) => !inBoth(id))
      .map((id) => ({
        ...asForce(id),
        reason: `${statusIn(cur.get(id), current.period.label)}; ${statusIn(old.get(id), base.period.label)}`,
      })),
    national: change(b.national, a.national, a.national.coverage),
    regions: a.regions.map((r, i) => change(b.regions[i]!, r, r.coverage)),
    forces,
  };
}
