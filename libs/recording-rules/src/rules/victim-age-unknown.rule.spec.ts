import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-AGE-007: unknown victim age on an age-defined code is a warning (R1-R3, R7)', () => {
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['71/17, age unknown', { victimAge: null }, ['CF-AGE-007']],
    [
      '19C, age unknown',
      { offenceCode: '19C', victimAge: null, onlineFlag: 'no', onlineMethod: null },
      ['CF-AGE-007'],
    ],
    ['8L (no age limit), age unknown', { offenceCode: '8L', victimAge: null }, []],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('warns rather than blocks', () => {
    expect(crimeFindings({ victimAge: null })[0].severity).toBe('warn');
  });
});
