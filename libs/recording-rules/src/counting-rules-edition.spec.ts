import { countingRulesEditionFor, yearlyEditions } from './counting-rules-edition.js';
import { defaultRulesConfig, mergeRulesConfig } from './rules-config.js';

describe('counting-rules edition per year (issue 20 §2)', () => {
  it.each([
    [2015, 'HOCR 2015-16 (with effect from April 2015); Cyberflag catalogue v2 (dated codes)'],
    [2017, 'HOCR 2017-18 (with effect from April 2017); Cyberflag catalogue v2 (dated codes)'],
    [2025, 'HOCR 2025-26 (with effect from April 2025); Cyberflag catalogue v2 (dated codes)'],
    // After the newest edition Cyberflag knows, it says which one it applied.
    [2026, 'HOCR 2025-26 (with effect from April 2025); Cyberflag catalogue v2 (dated codes)'],
    // Before NCRS the first edition is named rather than none.
    [2001, 'HOCR 2002-03 (with effect from April 2002); Cyberflag catalogue v2 (dated codes)'],
  ])('year %i states %j', (year, edition) => {
    expect(countingRulesEditionFor(year, defaultRulesConfig)).toBe(edition);
  });

  it('takes the latest edition starting on or before the year, in any order', () => {
    const config = mergeRulesConfig(defaultRulesConfig, {
      countingRulesEditions: [
        { fromYear: 2018, edition: 'E2018' },
        { fromYear: 2010, edition: 'E2010' },
      ],
      catalogueVersion: 'c',
    });
    expect([2009, 2010, 2017, 2018, 2030].map((y) => countingRulesEditionFor(y, config))).toEqual([
      'E2010; c',
      'E2010; c',
      'E2010; c',
      'E2018; c',
      'E2018; c',
    ]);
  });

  it('lists one edition a year', () => {
    expect(yearlyEditions(2015, 2016)).toEqual([
      { fromYear: 2015, edition: 'HOCR 2015-16 (with effect from April 2015)' },
      { fromYear: 2016, edition: 'HOCR 2016-17 (with effect from April 2016)' },
    ]);
  });
});
