import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-AGE-003: child codes need a victim under 18 (R7)', () => {
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['73, child 17', { offenceCode: '73', victimAge: 17 }, []],
    ['73, victim 18', { offenceCode: '73', victimAge: 18 }, ['CF-AGE-003']],
    ['73, victim 40', { offenceCode: '73', victimAge: 40 }, ['CF-AGE-003']],
    // Issue 20: 86/2's limit is the child's age when the image was made (CF-AGE-008 warns instead).
    ['86/2, subject now 18', { offenceCode: '86/2', victimAge: 18 }, ['CF-AGE-008']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
