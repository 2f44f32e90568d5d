import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-CODE-001: the offence code must be in the catalogue (R11)', () => {
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['unknown code', { offenceCode: '99Z' }, ['CF-CODE-001']],
    ['empty code', { offenceCode: '' }, ['CF-CODE-001']],
    [
      'unknown code with out-of-range ages',
      { offenceCode: '99Z', victimAge: 40, suspectAge: 10 },
      ['CF-CODE-001'],
    ],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
