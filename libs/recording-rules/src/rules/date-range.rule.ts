import type { CrimeRule } from '../rule.js';
import { londonMidnight } from '../uk-time.js';

// Dates in a sane range, checked before anything is written (issue #18 finding 1: a record dated 9999 was stored
// and then broke every list of its force). Recorded on or after 1 April of the flag's first year (the online flag
// was mandatory from April 2015, domain.md §4), no date later than now plus a small clock-skew tolerance (a crime
// cannot be reported or recorded in the future), and no offence date before a floor year (a typo, not history).
export const dateRangeRule: CrimeRule = {
  code: 'CF-DATE-002',
  subject: 'crime',
  severity: 'block',
  message:
    'Date out of range: recorded on or after the flag began (1 April 2015), and no date in the future',
  reference: 'Online flag mandatory from 1 April 2015 (domain.md §4); domain.md §14 R9, R12, R27',
  basis: 'CONFIRMED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => {
    const { config } = ctx;
    const latest = (ctx.now?.() ?? Date.now()) + config.clockSkewToleranceSeconds * 1000;
    const earliestRecorded = firstInstant(config.flagStartYear, 4, 1);
    const earliestOffence = firstInstant(config.earliestOffenceYear, 1, 1);
    const from = crime.offenceFrom.getTime();
    const to = crime.offenceTo === null ? from : crime.offenceTo.getTime();
    const reported = crime.reportedAt.getTime();
    const recorded = crime.recordedAt.getTime();
    // The usual case, decided with comparisons only (the import runs this per row). NaN fails every comparison,
    // and an invalid date is CF-DATE-001's to report.
    if (
      recorded >= earliestRecorded &&
      recorded <= latest &&
      reported <= latest &&
      from <= latest &&
      to <= latest &&
      from >= earliestOffence &&
      to >= earliestOffence
    )
      return null;
    const problems: string[] = [];
    if (recorded < earliestRecorded)
      problems.push(`recordedAt before ${config.flagStartYear}-04-01`);
    const future = (
      [
        ['offenceFrom', from],
        ['offenceTo', to],
        ['reportedAt', reported],
        ['recordedAt', recorded],
      ] as const
    )
      .filter(([, t]) => t > latest)
      .map(([name]) => name);
    if (future.length > 0) problems.push(`in the future: ${future.join(', ')}`);
    if (from < earliestOffence || to < earliestOffence)
      problems.push(`offence date before ${config.earliestOffenceYear}-01-01`);
    if (problems.length === 0) return null; // only invalid dates: CF-DATE-001
    return {
      message: `Date out of range: ${problems.join('; ')}`,
      details: { problems, latest: new Date(latest).toISOString() },
    };
  },
};

// Local midnight of a fixed day, cached: the year comes from the config, which rarely changes.
const instants = new Map<string, number>();
function firstInstant(year: number, month: number, day: number): number {
  const key = `${year}-${month}-${day}`;
  let t = instants.get(key);
  if (t === undefined) {
    t = londonMidnight(year, month, day).getTime();
    instants.set(key, t);
  }
  return t;
}
