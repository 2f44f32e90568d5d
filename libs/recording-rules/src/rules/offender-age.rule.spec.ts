import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-OFFENDER-001: suspect age must fit the code (R5, R6)', () => {
  it.each<CrimeCase>([
    ['baseline (71/17, suspect 30)', {}, []],
    ['71/17, suspect 18', { suspectAge: 18 }, []],
    ['71/17, suspect 17', { suspectAge: 17 }, ['CF-OFFENDER-001']],
    ['71/17, no suspect', { suspectAge: null }, []],
    ['s.13 code, suspect 17', { offenceCode: 'S13-TEST', onlineFlag: 'no', onlineMethod: null, suspectAge: 17 }, []],
    ['s.13 code, suspect 18', { offenceCode: 'S13-TEST', onlineFlag: 'no', onlineMethod: null, suspectAge: 18 }, ['CF-OFFENDER-001']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('names the required range', () => {
    expect(crimeFindings({ suspectAge: 17 })[0].message).toContain('18 or over');
  });
});
