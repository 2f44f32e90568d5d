import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-FLAG-002: an online crime says how it was committed (R13)', () => {
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['yes, method null', { onlineMethod: null }, ['CF-FLAG-002']],
    ['yes, method blank', { onlineMethod: '   ' }, ['CF-FLAG-002']],
    ['yes, method given, no platform', { onlinePlatform: null }, []],
    ['no, method null (8L)', { offenceCode: '8L', onlineFlag: 'no', onlineMethod: null }, []],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
