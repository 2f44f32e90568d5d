// The reporting period of a national return (domain.md §9): 1 April – 31 March in UK local time, with its
// real number of days, so a per-day average over 2015-16 divides by 366 (it contains 29 February 2016).
import { financialYearPeriod, formatFinancialYear, londonDate } from '#libs/recording-rules';

export interface NationalPeriod {
  startYear: number; // 2015
  label: string; // '2015-16'
  firstDay: string; // '2015-04-01' (inclusive)
  lastDay: string; // '2016-03-31' (inclusive)
  days: number; // 366 for 2015-16
}

export function nationalPeriod(startYear: number): NationalPeriod {
  const p = financialYearPeriod(startYear);
  return {
    startYear,
    label: formatFinancialYear(startYear),
    firstDay: londonDate(p.start),
    lastDay: londonDate(new Date(p.end.getTime() - 1)),
    days: p.days,
  };
}

// Average per day over the period, 1 d.p. (the NSPCC's "about eight a day"); null when nothing is known.
export function perDay(count: number | null, days: number): number | null {
  if (count === null) return null;
  return Math.round((10 * count) / days) / 10;
}
