// Force → region → England and Wales. Regions come from the catalogue data (a regrouping is a data
// change, domain.md §4.1 note), and every level states its coverage. Pure.
import type { Catalogue } from '#libs/catalogue';
import { coverageText } from './coverage.js';
import { sumCounts, sumSources } from './counts.js';
import type {
  AreaAggregate,
  CoverageRow,
  ForceCounts,
  MissingForce,
  PerDay,
  ReturnCounts,
} from './national.types.js';
import { perDay, type NationalPeriod } from './period.js';

export const ENGLAND_AND_WALES = { id: 'england-and-wales', name: 'England and Wales' } as const;

export interface Aggregation {
  national: AreaAggregate;
  regions: AreaAggregate[];
  forces: (AreaAggregate | MissingForce)[];
}

export function perDayOf(counts: ReturnCounts, days: number): PerDay {
  const total = counts.tableA.rows.at(-1)!;
  return {
    days,
    recordedCrimes: perDay(total.total, days),
    onlineFlagged: perDay(total.flagYes, days),
    childSexualOffences: perDay(counts.tableB.summary.total, days),
  };
}

export function aggregate(
  catalogue: Catalogue,
  period: NationalPeriod,
  coverage: readonly CoverageRow[],
  counts: readonly ForceCounts[],
): Aggregation {
  const byForce = new Map(counts.map((c) => [c.forceId, c]));
  const included = coverage.filter((r) => r.included);
  for (const r of included)
    if (!byForce.has(r.forceId)) throw new Error(`no counts for included force ${r.forceId}`);
  const area = (
    level: AreaAggregate['level'],
    id: string,
    name: string,
    regionId: string | null,
    members: readonly CoverageRow[],
    expected: number,
  ): AreaAggregate => {
    const list = members.map((m) => byForce.get(m.forceId)!);
    const summed = sumCounts(list);
    return {
      level,
      id,
      name,
      regionId,
      coverage: coverageText(members.length, expected),
      forces: members.map((m) => m.forceId).sort(),
      ...summed,
      source: sumSources(list.map((c) => c.source)),
      perDay: perDayOf(summed, period.days),
    };
  };
  const expected = coverage.filter((r) => r.expected);
  const regions = catalogue
    .regions()
    .map((reg) => {
      const inRegion = expected.filter((r) => r.regionId === reg.id);
      return area(
        'region',
        reg.id,
        reg.name,
        null,
        inRegion.filter((r) => r.included),
        inRegion.length,
      );
    })
    .filter((r) => r.coverage.expected > 0);
  const forces = expected.map((r): AreaAggregate | MissingForce =>
    r.included
      ? area('force', r.forceId, r.forceName, r.regionId, [r], 1)
      : {
          level: 'force',
          id: r.forceId,
          name: r.forceName,
          regionId: r.regionId,
          status: r.status,
        },
  );
  return {
    national: area(
      'national',
      ENGLAND_AND_WALES.id,
      ENGLAND_AND_WALES.name,
      null,
      included,
      expected.length,
    ),
    regions,
    forces,
  };
}
