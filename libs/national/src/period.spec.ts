import { nationalPeriod, perDay } from './period.js';

describe('national period (domain.md §9)', () => {
  it.each([
    [2015, '2015-16', '2015-04-01', '2016-03-31', 366], // contains 29 February 2016
    [2019, '2019-20', '2019-04-01', '2020-03-31', 366], // contains 29 February 2020
    [2020, '2020-21', '2020-04-01', '2021-03-31', 365],
    [2021, '2021-22', '2021-04-01', '2022-03-31', 365],
  ])('%i is %s, %s to %s, %i days', (year, label, firstDay, lastDay, days) => {
    expect(nationalPeriod(year)).toEqual({ startYear: year, label, firstDay, lastDay, days });
  });

  it('averages per day over the real number of days', () => {
    // 3,186 offences in 2015-16 (NSPCC, domain.md §4.1): 8.7 a day over 366 days, not 8.73 over 365.
    expect(perDay(3186, nationalPeriod(2015).days)).toBe(8.7);
    expect(perDay(3650, nationalPeriod(2020).days)).toBe(10);
    expect(perDay(366, 366)).toBe(1);
    expect(perDay(null, 365)).toBeNull();
  });
});
