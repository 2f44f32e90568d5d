import {
  financialYearOf,
  financialYearPeriod,
  formatFinancialYear,
  parseFinancialYear,
} from './financial-year.js';
import {
  londonDate,
  londonDay,
  londonMidnight,
  londonOffsetMinutes,
  londonParts,
} from './uk-time.js';

describe('financial years (domain.md §9)', () => {
  describe('when assigning an instant to a year in UK local time', () => {
    it.each([
      // BST began on 27 March 2016, so 31 March 23:59:59 local = 22:59:59Z.
      ['2016-03-31T22:59:59Z', 2015],
      ['2016-03-31T23:00:00Z', 2016], // 1 April 2016 00:00 BST
      ['2015-04-01T00:00:00Z', 2015],
      ['2015-03-31T22:59:59Z', 2014],
      ['2016-01-15T12:00:00Z', 2015],
      ['2017-12-31T23:59:59Z', 2017],
      ['2018-01-01T00:00:00Z', 2017],
    ])('%s falls in %i', (iso, year) => {
      expect(financialYearOf(new Date(iso))).toBe(year);
    });

    it('refuses an invalid date', () => {
      expect(() => financialYearOf(new Date('nonsense'))).toThrow(RangeError);
    });
  });

  describe('when formatting and parsing', () => {
    it.each([
      [2015, '2015-16'],
      [1999, '1999-00'],
      [2009, '2009-10'],
    ])('%i ⇄ %s', (year, text) => {
      expect(formatFinancialYear(year)).toBe(text);
      expect(parseFinancialYear(text)).toBe(year);
    });

    it.each([
      '2015-17',
      '2015-15',
      '2015/16',
      '15-16',
      '2015-2016',
      ' 2015-16',
      '',
      '9999-00',
      '0999-00',
      '0000-01',
    ])('refuses %p', (text) => {
      expect(() => parseFinancialYear(text)).toThrow(/Invalid financial year/);
    });

    // Issue #18: a stored year beyond the parser's range must still format (a view built from a row never throws).
    it.each([
      [9999, '9999-00'],
      [10000, '10000-01'],
      [-1, '-1-00'],
      [0, '0-01'],
      [Number.NaN, 'NaN'],
    ])('formats %p as %p without throwing', (year, text) => {
      expect(formatFinancialYear(year)).toBe(text);
    });
  });

  describe('when computing a period', () => {
    it('starts and ends at local midnight on 1 April (BST)', () => {
      const p = financialYearPeriod(2015);
      expect(p.start.toISOString()).toBe('2015-03-31T23:00:00.000Z');
      expect(p.end.toISOString()).toBe('2016-03-31T23:00:00.000Z');
    });

    it.each([
      [2015, 366], // contains 29 February 2016
      [2016, 365],
      [2019, 366],
      [2023, 366],
      [2024, 365],
    ])('%i has %i days', (year, days) => {
      expect(financialYearPeriod(year).days).toBe(days);
    });

    it('is consistent with financialYearOf at both edges', () => {
      const p = financialYearPeriod(2016);
      expect(financialYearOf(p.start)).toBe(2016);
      expect(financialYearOf(new Date(p.end.getTime() - 1))).toBe(2016);
      expect(financialYearOf(p.end)).toBe(2017);
    });
  });
});

describe('UK local time helpers', () => {
  it.each([
    ['2016-01-10T12:00:00Z', 0],
    ['2016-07-10T12:00:00Z', 60],
    ['2016-03-27T00:59:59Z', 0], // clocks went forward at 01:00Z
    ['2016-03-27T01:00:00Z', 60],
  ])('offset at %s is %i minutes', (iso, minutes) => {
    expect(londonOffsetMinutes(new Date(iso))).toBe(minutes);
  });

  it.each([
    ['2017-04-02T22:59:59Z', '2017-04-02'],
    ['2017-04-02T23:00:00Z', '2017-04-03'],
    ['2017-12-31T23:30:00Z', '2017-12-31'],
  ])('%s is UK date %s', (iso, date) => {
    expect(londonDate(new Date(iso))).toBe(date);
  });

  it('gives the same calendar day from its per-day cache as from the full local time, 1900-2100', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const [from, to] = [Date.UTC(1900, 0, 1), Date.UTC(2100, 0, 1)];
    const instants = Array.from(
      { length: 5_000 },
      () => new Date(from + Math.floor(next() * (to - from))),
    );
    // and the instants either side of local midnight, where a wrong offset would show
    for (const d of instants.slice(0, 200))
      instants.push(
        londonMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()),
        new Date(
          londonMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()).getTime() - 1,
        ),
      );
    for (const d of [...instants, ...instants]) {
      // the second pass reads the cache
      const p = londonParts(d);
      const day = londonDay(d);
      expect([day.year, day.month, day.day]).toEqual([p.year, p.month, p.day]);
      expect(day.date).toBe(
        `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`,
      );
    }
  });

  it('finds local midnight in GMT and in BST', () => {
    expect(londonMidnight(2016, 1, 1).toISOString()).toBe('2016-01-01T00:00:00.000Z');
    expect(londonMidnight(2016, 3, 28).toISOString()).toBe('2016-03-27T23:00:00.000Z');
    expect(londonMidnight(2016, 10, 30).toISOString()).toBe('2016-10-29T23:00:00.000Z'); // GMT from 01:00Z
    expect(londonMidnight(2016, 10, 31).toISOString()).toBe('2016-10-31T00:00:00.000Z');
  });
});
