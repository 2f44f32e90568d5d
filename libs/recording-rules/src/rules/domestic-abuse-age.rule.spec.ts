import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-DA-001: domestic abuse flag expects both parties aged 16+ (R22)', () => {
  const images = { offenceCode: '86/2', domesticAbuse: true } as const;
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['DA, victim 14', { domesticAbuse: true }, ['CF-DA-001']],
    ['DA, victim 15', { ...images, victimAge: 15 }, ['CF-DA-001']],
    ['DA, victim 16', { ...images, victimAge: 16 }, []],
    ['DA, victim 17, suspect 15', { ...images, victimAge: 17, suspectAge: 15 }, ['CF-DA-001']],
    ['DA, victim 17, suspect unknown', { ...images, victimAge: 17, suspectAge: null }, []],
    ['no DA, victim 14', { domesticAbuse: false }, []],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
