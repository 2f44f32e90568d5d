// Which years have online-flag figures. The flag became mandatory on 1 April 2015 (domain.md §6: PQ 5204,
// NSPCC), so a return, a national figure or an audit of 2014-15 or earlier would be all zeros that mean
// "not collected", not "none": those years are refused with a coded 422 that says why.
// Not in core.ts: it throws DomainError (libs/persistence), which the import's parse worker need not load.
import { DomainError } from '#libs/persistence';
import { financialYearPeriod, formatFinancialYear, parseFinancialYear } from './financial-year.js';

export const FLAG_FIRST_YEAR = 2015; // 2015-16
export const YEAR_BEFORE_FLAG_CODE = 'CF-YEAR-001';

// '2015-16' → 2015; a malformed year is a 400 (the shape), a year before the flag a 422 (the meaning).
export function parseFlagYear(text: string): number {
  const year = parseYearText(text);
  assertFlagYear(year);
  return year;
}

// The shape only ('2015-16'), for routes whose years are not about the flag (crime lists).
export function parseYearText(text: string): number {
  try {
    return parseFinancialYear(text);
  } catch (e) {
    throw new DomainError(
      'INVALID_INPUT',
      e instanceof Error ? e.message : `invalid financial year '${text}'`,
    );
  }
}

export function assertFlagYear(startYear: number): void {
  if (startYear < FLAG_FIRST_YEAR) throw yearBeforeFlag(formatFinancialYear(startYear));
}

// A period (an audit's from..to) that starts before the flag existed.
export function assertFlagPeriod(start: Date, label: string): void {
  if (start < financialYearPeriod(FLAG_FIRST_YEAR).start) throw yearBeforeFlag(label);
}

function yearBeforeFlag(label: string): DomainError {
  const first = formatFinancialYear(FLAG_FIRST_YEAR);
  return new DomainError(
    'RULE_VIOLATION',
    `${label} is before the online crime flag: forces have flagged crimes only since 1 April 2015, so there are no flag figures before ${first} (zeros would mean "not collected", not "none")`,
    { ruleCodes: [YEAR_BEFORE_FLAG_CODE], year: label, firstYear: first },
  );
}
