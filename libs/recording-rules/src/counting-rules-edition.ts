// The counting-rules edition of each financial year. The Home Office Counting Rules are revised yearly "with
// effect from April" (domain.md §1: editions seen with effect from April 2003, 2010, 2018, 2021, 2022), so a
// year's records, rules and return are those of the edition in force that year, not of today's.
import { formatFinancialYear } from './financial-year.js';
import type { RulesConfig } from './rule.js';

export interface CountingRulesEdition {
  fromYear: number; // first financial year it applies to (2015 = 2015-16)
  edition: string; // how returns and publications name it
}

// One entry per year from NCRS (April 2002) to the newest edition Cyberflag knows.
export function yearlyEditions(firstYear: number, lastYear: number): CountingRulesEdition[] {
  const editions: CountingRulesEdition[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    editions.push({
      fromYear: year,
      edition: `HOCR ${formatFinancialYear(year)} (with effect from April ${year})`,
    });
  }
  return editions;
}

// The edition in force in the year: the latest starting on or before it. A year after the newest listed
// edition gets the newest (the rules Cyberflag has); a year before the first gets the first.
export function countingRulesEditionFor(year: number, config: RulesConfig): string {
  let best: CountingRulesEdition | null = null;
  let first: CountingRulesEdition | null = null;
  for (const e of config.countingRulesEditions) {
    if (first === null || e.fromYear < first.fromYear) first = e;
    if (e.fromYear <= year && (best === null || e.fromYear > best.fromYear)) best = e;
  }
  const edition = (best ?? first)?.edition ?? 'HOCR (edition not configured)';
  return `${edition}; ${config.catalogueVersion}`;
}
