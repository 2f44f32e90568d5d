import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-AGE-002: under-16 codes need a victim under 16 (R2, R5)', () => {
  it.each<CrimeCase>([
    ['baseline (71/17, victim 14)', {}, []],
    ['71/17, victim 15', { victimAge: 15 }, []],
    ['71/17, victim 16', { victimAge: 16 }, ['CF-AGE-002']],
    ['19D, victim 15', { offenceCode: '19D', victimAge: 15 }, []],
    ['19D, victim 16', { offenceCode: '19D', victimAge: 16 }, ['CF-AGE-002']],
    // Issue 20 corrections: 11A cruelty (CYPA 1933 s.1) and 13 child abduction: a child under 16.
    [
      '11A, victim 15',
      { offenceCode: '11A', victimAge: 15, onlineFlag: 'no', onlineMethod: null },
      [],
    ],
    [
      '11A, victim 16',
      { offenceCode: '11A', victimAge: 16, onlineFlag: 'no', onlineMethod: null },
      ['CF-AGE-002'],
    ],
    [
      '13, child 15',
      { offenceCode: '13', victimAge: 15, onlineFlag: 'no', onlineMethod: null },
      [],
    ],
    [
      '13, child 16',
      { offenceCode: '13', victimAge: 16, onlineFlag: 'no', onlineMethod: null },
      ['CF-AGE-002'],
    ],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
