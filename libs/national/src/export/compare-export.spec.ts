import type { YearComparison } from '../compare.js';
import { compareCsvRows, exportComparison } from './compare-export.js';

// The year-on-year CSV goes through the national exports' writer: text that a spreadsheet would run as a
// formula is prefixed with an apostrophe; numbers (negative changes included) are written as they are.
describe('year-on-year CSV', () => {
  const measure = {
    measure: 'recordedCrimes' as const,
    base: 53,
    current: 24,
    change: -29,
    pctChange: -54.7,
  };
  const area = (level: 'national' | 'region' | 'force', id: string, name: string) => ({
    level,
    id,
    name,
    coverage: { included: 1, expected: 2, text: '1 of 2 forces' },
    measures: [measure],
  });
  const c = {
    metadata: {
      year: { label: '2021-22' },
      otherYear: { label: '2020-21' },
      coverage: { text: '1 of 2 forces' },
    },
    forcesIncluded: [],
    forcesExcluded: [
      {
        forceId: 'x',
        forceName: '=HYPERLINK("http://evil")',
        regionId: 'r',
        reason: '2021-22: not received; 2020-21: included',
      },
    ],
    national: area('national', 'england-and-wales', 'England and Wales'),
    regions: [area('region', 'r', '+Region')],
    forces: [area('force', 'f', 'Force, the')],
  } as unknown as YearComparison;

  it('writes one row per area and measure, then each excluded force, guarded against formulas', () => {
    expect(compareCsvRows(c)).toHaveLength(4);
    const lines = exportComparison(c)
      .body.toString('utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(lines).toEqual([
      'level,area_id,area,coverage,measure,base_year,base,year,current,change,pct_change,note',
      'national,england-and-wales,England and Wales,1 of 2 forces,recordedCrimes,2020-21,53,2021-22,24,-29,-54.7,',
      "region,r,'+Region,1 of 2 forces,recordedCrimes,2020-21,53,2021-22,24,-29,-54.7,",
      'force,f,"Force, the",1 of 2 forces,recordedCrimes,2020-21,53,2021-22,24,-29,-54.7,',
      `force,x,"'=HYPERLINK(""http://evil"")",,excluded,2020-21,,2021-22,,,,2021-22: not received; 2020-21: included`,
      '',
    ]);
  });
});
