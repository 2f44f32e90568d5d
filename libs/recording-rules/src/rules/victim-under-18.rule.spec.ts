import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-AGE-003: child codes need a victim under 18 (R7)', () => {
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['86/2, child 17', { offenceCode: '86/2', victimAge: 17 }, []],
    ['86/2, subject 18', { offenceCode: '86/2', victimAge: 18 }, ['CF-AGE-003']],
    ['86/2, subject 40', { offenceCode: '86/2', victimAge: 40 }, ['CF-AGE-003']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
