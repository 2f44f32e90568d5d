import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-AGE-004: adult / 13+ codes need a victim of the minimum age (R3)', () => {
  const adultRape = { offenceCode: '19C', onlineFlag: 'no', onlineMethod: null } as const;
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['19C, victim 16', { ...adultRape, victimAge: 16 }, []],
    ['19C, victim 15', { ...adultRape, victimAge: 15 }, ['CF-AGE-004']],
    ['17A, male victim 13', { offenceCode: '17A', victimSex: 'male', victimAge: 13 }, []],
    [
      '17A, male victim 12',
      { offenceCode: '17A', victimSex: 'male', victimAge: 12 },
      ['CF-AGE-004'],
    ],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
