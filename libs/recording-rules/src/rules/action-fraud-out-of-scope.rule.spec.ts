import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-CODE-003: Action Fraud / NFIB offences are out of scope (R15)', () => {
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['NFIB fraud code', { offenceCode: 'NFIB-TEST', victimAge: 40 }, ['CF-CODE-003']],
    ['force-recorded harassment', { offenceCode: '8L', victimAge: 40 }, []],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
