import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-SEX-001: victim sex must match the code (R4)', () => {
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['19E, female victim', { offenceCode: '19E', victimAge: 10 }, []],
    ['19E, male victim', { offenceCode: '19E', victimAge: 10, victimSex: 'male' }, ['CF-SEX-001']],
    ['17A, female victim', { offenceCode: '17A', victimSex: 'female' }, ['CF-SEX-001']],
    ['71/17 (any sex), male victim', { victimSex: 'male' }, []],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
