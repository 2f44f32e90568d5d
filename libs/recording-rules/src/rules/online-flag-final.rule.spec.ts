import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe("CF-FLAG-001: online flag 'unknown' only in a draft (R12)", () => {
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['unknown, confirmed', { onlineFlag: 'unknown', onlineMethod: null }, ['CF-FLAG-001']],
    [
      'unknown, transferred',
      { onlineFlag: 'unknown', onlineMethod: null, status: 'transferred' },
      ['CF-FLAG-001'],
    ],
    ['unknown, draft', { onlineFlag: 'unknown', onlineMethod: null, status: 'draft' }, []],
    ['no, confirmed (8L)', { offenceCode: '8L', onlineFlag: 'no', onlineMethod: null }, []],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
