import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-AGE-002: under-16 codes need a victim under 16 (R2, R5)', () => {
  it.each<CrimeCase>([
    ['baseline (71/17, victim 14)', {}, []],
    ['71/17, victim 15', { victimAge: 15 }, []],
    ['71/17, victim 16', { victimAge: 16 }, ['CF-AGE-002']],
    ['19D, victim 15', { offenceCode: '19D', victimAge: 15 }, []],
    ['19D, victim 16', { offenceCode: '19D', victimAge: 16 }, ['CF-AGE-002']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
