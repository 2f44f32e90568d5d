import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-FORCE-001: a known force, valid on the recorded date (R27)', () => {
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['another force', { forceId: 'nottinghamshire' }, []],
    ['unknown force', { forceId: 'atlantis' }, ['CF-FORCE-001']],
    ['force merged away before the recorded date', { forceId: 'merged-test' }, ['CF-FORCE-001']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
