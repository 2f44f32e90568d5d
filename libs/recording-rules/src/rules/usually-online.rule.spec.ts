import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe("CF-FLAG-003: usually-online offence flagged 'no' goes to review (R14)", () => {
  const notOnline = { onlineFlag: 'no', onlineMethod: null } as const;
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['71/17 flagged no', notOnline, ['CF-FLAG-003']],
    ['86/2 flagged no', { ...notOnline, offenceCode: '86/2' }, ['CF-FLAG-003']],
    ['8L flagged no', { ...notOnline, offenceCode: '8L' }, []],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
