// Designing an audit sample (issue 7 §4; HMICFRS method, domain.md §10), pure part.
// Strata are offence groups. The total comes from the request (sampleSize) or from the margin of error
// wanted at 95% confidence (sampleSizeForMargin with the conservative p = 0.5 and the finite population
// correction for the whole population); it is then shared across strata in proportion to their size
// (allocateProportional: at least one record per non-empty stratum). The draw is drawStratifiedSample,
// reproducible from the stored seed: the same population and seed always give the same records.
import {
  allocateProportional,
  drawStratifiedSample,
  sampleSizeForMargin,
  type SamplingUnit,
} from '#libs/audit-stats';
import { DomainError } from '#libs/persistence';
import { financialYearPeriod, formatFinancialYear, londonMidnight } from '#libs/recording-rules';

export type SizeBasis = { sampleSize: number } | { targetMargin: number };

export interface AuditPlan {
  populations: Record<string, number>;
  allocation: Record<string, number>;
  total: number;
  sample: { crimeId: string; stratum: string; drawOrder: number }[];
}

export function planAudit(
  groups: readonly string[],
  units: readonly SamplingUnit[],
  size: SizeBasis,
  seed: string,
): AuditPlan {
  const populations: Record<string, number> = Object.fromEntries(groups.map((g) => [g, 0]));
  for (const u of units) populations[u.stratum] = (populations[u.stratum] ?? 0) + 1;
  const population = units.length;
  if (population === 0)
    throw new DomainError(
      'INVALID_INPUT',
      'no confirmed records of this force, period and offence groups to sample',
    );
  const wanted =
    'sampleSize' in size
      ? size.sampleSize
      : sampleSizeForMargin(size.targetMargin, 0.95, 0.5, population);
  let allocation: Record<string, number>;
  try {
    allocation = allocateProportional(populations, Math.min(wanted, population));
  } catch (e) {
    throw new DomainError(
      'INVALID_INPUT',
      e instanceof Error ? e.message : 'cannot allocate the sample',
    );
  }
  const drawn = drawStratifiedSample(units, allocation, seed);
  const sample = Object.entries(drawn).flatMap(([stratum, ids]) =>
    ids.map((crimeId, i) => ({ crimeId, stratum, drawOrder: i + 1 })),
  );
  return { populations, allocation, total: sample.length, sample };
}

export interface AuditPeriod {
  label: string;
  start: Date; // inclusive
  end: Date; // exclusive
}

// A financial year ('2017-18') or inclusive UK calendar dates (from .. to).
export function auditPeriod(p: { year?: number; from?: string; to?: string }): AuditPeriod {
  if (p.year !== undefined) {
    if (p.from !== undefined || p.to !== undefined)
      throw new DomainError('INVALID_INPUT', 'give either year or from/to, not both');
    const { start, end } = financialYearPeriod(p.year);
    return { label: formatFinancialYear(p.year), start, end };
  }
  if (p.from === undefined || p.to === undefined)
    throw new DomainError('INVALID_INPUT', 'give year, or both from and to');
  if (p.from > p.to) throw new DomainError('INVALID_INPUT', 'from must not be after to');
  const [fy, fm, fd] = dateParts(p.from);
  const [ty, tm, td] = dateParts(p.to);
  const next = new Date(Date.UTC(ty, tm - 1, td + 1));
  return {
    label: `${p.from}..${p.to}`,
    start: londonMidnight(fy, fm, fd),
    end: londonMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()),
  };
}

function dateParts(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const parts = m ? ([Number(m[1]), Number(m[2]), Number(m[3])] as [number, number, number]) : null;
  const valid =
    parts &&
    new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])).toISOString().slice(0, 10) === date;
  if (!parts || !valid)
    throw new DomainError('INVALID_INPUT', `${date} is not a calendar date (YYYY-MM-DD)`);
  return parts;
}
