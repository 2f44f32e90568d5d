import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-SEX-002: unknown victim sex on a sex-defined code is a warning (R4)', () => {
  it.each<CrimeCase>([
    ['baseline', {}, []],
    [
      '19E, sex unknown',
      { offenceCode: '19E', victimAge: 10, victimSex: 'unknown' },
      ['CF-SEX-002'],
    ],
    ['71/17 (any sex), sex unknown', { victimSex: 'unknown' }, []],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('warns rather than blocks', () => {
    expect(
      crimeFindings({ offenceCode: '19E', victimAge: 10, victimSex: 'unknown' })[0].severity,
    ).toBe('warn');
  });
});
