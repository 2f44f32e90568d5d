// Financial (counting) years run 1 April – 31 March in UK local time (domain.md §9, R27).
// A year is named by its start: 2015 = '2015-16' = 1 Apr 2015 00:00 BST .. 1 Apr 2016 00:00 BST.
import { londonDay, londonMidnight } from './uk-time.js';

export interface FinancialYearPeriod {
  start: Date; // inclusive
  end: Date; // exclusive: the first instant of the next year
  days: number;
}

export function financialYearOf(date: Date): number {
  const { year, month } = londonDay(date);
  return month >= 4 ? year : year - 1;
}

// Total: it formats whatever year a stored record has (a view built from a row must not throw, issue #18);
// only parsing and periods keep to four-digit years.
export function formatFinancialYear(startYear: number): string {
  if (!Number.isSafeInteger(startYear)) return String(startYear);
  return `${startYear}-${String((((startYear + 1) % 100) + 100) % 100).padStart(2, '0')}`;
}

// Strict: '2015-16' only. '2015-17', '2015/16', '15-16' are refused so a typo cannot pick a year.
export function parseFinancialYear(text: string): number {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`Invalid financial year '${text}': expected the form '2015-16'`);
  const start = Number(match[1]);
  // '9999-00' is well formed but has no period (it would end in year 10000): a 400, not a RangeError later.
  if (start < 1000 || start > 9998)
    throw new RangeError(`Invalid financial year '${text}': years run from 1000-01 to 9998-99`);
  const expected = String((start + 1) % 100).padStart(2, '0');
  if (match[2] !== expected) {
    throw new RangeError(
      `Invalid financial year '${text}': a year starting in ${start} ends in '${expected}'`,
    );
  }
  return start;
}

export function financialYearPeriod(startYear: number): FinancialYearPeriod {
  assertYear(startYear);
  const days = (Date.UTC(startYear + 1, 3, 1) - Date.UTC(startYear, 3, 1)) / 86_400_000;
  return { start: londonMidnight(startYear, 4, 1), end: londonMidnight(startYear + 1, 4, 1), days };
}

function assertYear(startYear: number): void {
  if (!Number.isInteger(startYear) || startYear < 1000 || startYear > 9998) {
    throw new RangeError(
      `Invalid financial year '${startYear}': expected a year from 1000 to 9998`,
    );
  }
}
