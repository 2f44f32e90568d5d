import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-AGE-001: under-13 codes need a victim under 13 (R1)', () => {
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['19E, victim 12', { offenceCode: '19E', victimAge: 12 }, []],
    ['19E, victim 13', { offenceCode: '19E', victimAge: 13 }, ['CF-AGE-001']],
    ['19E, victim 0', { offenceCode: '19E', victimAge: 0 }, []],
    ['19E, victim age unknown', { offenceCode: '19E', victimAge: null }, ['CF-AGE-007']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('states the limit and the age', () => {
    const [finding] = crimeFindings({ offenceCode: '19E', victimAge: 15 });
    expect(finding).toMatchObject({
      severity: 'block',
      details: { victimAge: 15, victimAgeMax: 12 },
    });
    expect(finding.message).toContain('under 13');
  });
});
